# Runs the XMPP bots of tests/bots/ as subprocesses against a test Prosody
# and reads their line protocol (READY, RECV, SENT, ... see botlib.py).
#
#   with Bot.echo(prosody, "bot", "pw") as bot:      # returns after READY
#       ...
#       m = bot.expect_line(r'^RECV (\S+) (.*)$')
#       json.loads(m.group(2))
import json
import os
import subprocess
import tempfile

from . import util


class BotError(AssertionError):
    pass


class Bot:
    def __init__(self, script, args, name=None, commands=False):
        """script: a file in tests/bots/; args: its arguments."""
        self.script = os.path.join(util.BOTS_DIR, script)
        self.args = list(args)
        self.name = name or script
        self.commands = commands
        self.proc = None
        self.out = None
        self._err = None
        self._token = None
        self._closed = False

    # -- constructors with a Prosody's connection settings --

    @staticmethod
    def connection_args(prosody, localpart, password, resource=None,
                        direct_tls=False, cafile=None):
        jid = localpart if "@" in localpart else "%s@%s" % (localpart,
                                                            prosody.domain)
        if resource:
            jid += "/" + resource
        return ["--jid", jid, "--password", password,
                "--host", prosody.host,
                "--port", str(prosody.tls_port if direct_tls
                              else prosody.port),
                "--cafile", cafile or prosody.cafile] + (
                    ["--direct-tls"] if direct_tls else [])

    @classmethod
    def echo(cls, prosody, localpart, password, prefix=None, greeting=None,
             extra_args=(), start=True, timeout=15.0, **conn):
        """Echo bot (tests/bots/echo_bot.py), started and READY."""
        args = cls.connection_args(prosody, localpart, password, **conn)
        if prefix is not None:
            args += ["--prefix", prefix]
        if greeting is not None:
            args += ["--greeting", greeting]
        bot = cls("echo_bot.py", args + list(extra_args),
                  name="echo_bot(%s)" % localpart)
        if start:
            bot.start(timeout=timeout)
        return bot

    @classmethod
    def sender(cls, prosody, localpart, password, to=None, count=1,
               text=None, interval_ms=0, msg_type=None, commands=False,
               extra_args=(), start=True, timeout=15.0, **conn):
        """Sender bot (tests/bots/sender_bot.py), started and READY.
        With commands=True, send_json()/send() feed it stanzas."""
        args = cls.connection_args(prosody, localpart, password, **conn)
        if to:
            args += ["--to", to, "--count", str(count)]
            if text is not None:
                args += ["--text", text]
            if interval_ms:
                args += ["--interval-ms", str(interval_ms)]
            if msg_type:
                args += ["--type", msg_type]
        if commands:
            args.append("--commands")
        bot = cls("sender_bot.py", args + list(extra_args),
                  name="sender_bot(%s)" % localpart, commands=commands)
        if start:
            bot.start(timeout=timeout)
        return bot

    @classmethod
    def probe(cls, prosody, localpart, password, idle=3600, forge=False,
              extra_args=(), start=True, timeout=15.0, **conn):
        """Probe bot (tests/bots/probe_bot.py), started and READY: answers
        version/ping/time/last activity/disco, reports caps (CAPS lines) and
        requests (IQ-GET lines); send_json({"iq": XML, "to": JID, "id": ID})
        asks natter and prints "ANSWER id type json-xml". With forge, a
        hostile client whose disco#info never matches its caps."""
        args = cls.connection_args(prosody, localpart, password, **conn)
        args += ["--idle", str(idle)] + (["--forge"] if forge else [])
        bot = cls("probe_bot.py", args + list(extra_args),
                  name="probe_bot(%s)" % localpart, commands=True)
        if start:
            bot.start(timeout=timeout)
        return bot

    # -- lifecycle --

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and not issubclass(exc_type, SystemExit):
            self.dump()
        self.stop()
        return False

    def start(self, wait_ready=True, timeout=15.0):
        """Launch; with wait_ready, return once it printed READY."""
        self._err = tempfile.TemporaryFile()
        self.proc = util.popen(
            [util.PYTHON, self.script] + self.args,
            stdin=subprocess.PIPE if self.commands else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self._err)
        self._token = util.on_cleanup(self.name, self.stop)
        self.out = util.LineLog(self.proc.stdout, self.name)
        if wait_ready:
            try:
                self.expect_line(r"^READY$", timeout)
            except AssertionError as exc:
                raise BotError("%s did not get ready: %s\nstderr:\n%s"
                               % (self.name, exc, self.stderr())) from None
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=5.0):
        """SIGTERM (the bot closes its stream), SIGKILL after timeout."""
        if self.proc is None or self._closed:
            return self.proc.returncode if self.proc else None
        self._closed = True
        code = util.terminate(self.proc, timeout)
        for f in (self.proc.stdin, self.proc.stdout):
            if f:
                try:
                    f.close()
                except OSError:
                    pass
        util.cancel_cleanup(self._token)
        return code

    def wait_exit(self, timeout=10.0):
        """Wait for the bot to end by itself; returns its exit status."""
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise BotError("%s still running after %.1f s" % (self.name,
                                                             timeout))
        self.out.wait_eof(2.0)
        return code

    # -- talking to it --

    def expect_line(self, regex, timeout=10.0):
        """re.Match of the next stdout line matching regex (see LineLog)."""
        try:
            return self.out.expect(regex, timeout, alive=self.alive)
        except AssertionError as exc:
            raise BotError("%s\nstderr:\n%s" % (exc, self.stderr())) from None

    def lines_matching(self, regex):
        return self.out.lines_matching(regex)

    def received(self):
        """(from, body) of every RECV line so far."""
        out = []
        for line in self.out.lines_matching(r"^RECV "):
            _, sender, body = line.split(" ", 2)
            out.append((sender, json.loads(body)))
        return out

    def send_json(self, obj):
        """Write one command line to the bot's stdin (commands mode)."""
        if not self.commands:
            raise BotError("%s was not started in commands mode" % self.name)
        self.proc.stdin.write((json.dumps(obj) + "\n").encode())
        self.proc.stdin.flush()

    def send(self, obj, timeout=10.0):
        """send_json(obj) and wait for its SENT line; returns the id."""
        self.send_json(obj)
        return self.expect_line(r"^SENT (\S+)$", timeout).group(1)

    def stderr(self):
        if self._err is None:
            return ""
        try:
            # pread: the child shares this file's offset, so never seek it.
            fd = self._err.fileno()
            data = os.pread(fd, os.fstat(fd).st_size, 0)
            return data.decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def dump(self):
        """Transcript and stderr as TAP diagnostics."""
        util.diag("--- %s stdout ---\n%s\n--- %s stderr ---\n%s"
                  % (self.name, self.out.transcript() if self.out else "",
                     self.name, self.stderr()))


def publish_bookmarks(p, local, pw, rooms, nick):
    """Another client of the account bookmarks ROOMS with autojoin
    (XEP-0402, kept as the XEP asks)."""
    options = ("<publish-options><x xmlns='jabber:x:data' type='submit'>"
               "<field var='FORM_TYPE' type='hidden'><value>http://jabber"
               ".org/protocol/pubsub#publish-options</value></field>"
               "<field var='pubsub#persist_items'><value>true</value></field>"
               "<field var='pubsub#max_items'><value>max</value></field>"
               "<field var='pubsub#send_last_published_item'><value>never"
               "</value></field><field var='pubsub#access_model'><value>"
               "whitelist</value></field></x></publish-options>")
    other = Bot.sender(p, local, pw, commands=True)
    with other:
        for i, room in enumerate(rooms):
            other.send({"raw": "<iq type='set' id='mark%d'><pubsub xmlns="
                        "'http://jabber.org/protocol/pubsub'><publish node="
                        "'urn:xmpp:bookmarks:1'><item id='%s'><conference "
                        "xmlns='urn:xmpp:bookmarks:1' autojoin='true'><nick>"
                        "%s</nick></conference></item></publish>%s</pubsub>"
                        "</iq>" % (i, room, nick, options)})
            other.expect_line(r"^IQ mark%d result$" % i)
