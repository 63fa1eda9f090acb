# Common part of the test bots: argument parsing, connecting to the test
# Prosody with certificate checking, a line protocol on stdout that tests read,
# and clean exit on SIGTERM/SIGINT.
#
# stdout lines (flushed one by one):
#   READY                          session started, presence sent, roster got
#   RECV <from> <json body>        a message with a body (not type=error)
#   ERROR <from> <condition>       a message of type error
#   PRESENCE <from> <type>         a presence (type "available" if none)
#   STATE <from> <state>           a chat state (XEP-0085) without a body
#   IDS <from> <id> <replace> <reply>   after RECV: the message's id, and
#                                  the ids it corrects / answers ("-": none)
#   REACTIONS <from> <id> <json list>   reactions (XEP-0444) to message id
#   RETRACT <from> <id>            a retraction (XEP-0424) of message id
#   MARKER <from> <marker> <id>    a chat marker (XEP-0333) about message id
#   SHOW <from> <show> <priority> <json status>
#                                  after PRESENCE for an available one: its
#                                  show ("online" if none), priority, status
#   DISCONNECTED <reason json>     the server closed the stream
#   TLS-FAILED <json reason>       the server certificate was refused
#   AUTH-FAILED <condition>        SASL authentication failed
#   CONNECT-FAILED <json reason>   TCP connection failed
# Exit status: 0 stopped by signal or asked to, 2 auth failed, 3 connection
# failed, 4 TLS refused, 5 disconnected by the server (without --reconnect).
import argparse
import asyncio
import json
import logging
import signal
import ssl
import sys

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

EXIT_OK, EXIT_AUTH, EXIT_CONNECT, EXIT_TLS, EXIT_DISCONNECTED = 0, 2, 3, 4, 5
NS_CHATSTATES = "http://jabber.org/protocol/chatstates"


def emit(*words):
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


def jstr(value):
    # ASCII-only JSON: every line is unambiguous whatever the text holds.
    return json.dumps(value, ensure_ascii=True)


def arg_parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--jid", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cafile", required=True,
                   help="CA to verify the server certificate with")
    p.add_argument("--direct-tls", action="store_true",
                   help="TLS from the first byte instead of STARTTLS")
    p.add_argument("--reconnect", action="store_true",
                   help="reconnect when the server goes away (READY again)")
    p.add_argument("--debug", action="store_true",
                   help="slixmpp debug log on stderr")
    return p


class TestBot(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.finished = self.loop.create_future()
        self.stopping = False
        self.ready = False
        # Connect to the given address, no DNS, and check the certificate
        # against the JID's domain (slixmpp uses default_domain for SNI and
        # the hostname check; with an IP address it would leave it empty).
        self.default_domain = self.boundjid.domain
        self.ca_certs = args.cafile
        self.add_event_handler("session_start", self._session_start)
        self.add_event_handler("message", self._message)
        # slixmpp's "message" event only sees messages with a body.
        self.register_handler(Callback(
            "bot chat states", MatchXPath("{jabber:client}message"),
            self._chat_state))
        self.add_event_handler("presence", self._presence)
        self.add_event_handler("disconnected", self._disconnected)
        self.add_event_handler("failed_auth", self._failed_auth)
        self.add_event_handler("connection_failed", self._connection_failed)
        self.add_event_handler("ssl_invalid_chain", self._tls_failed)

    async def get_dns_records(self, domain, port=None):
        return [(domain, self.args.host, self.args.port)]

    def start(self):
        self.connect(address=(self.args.host, self.args.port),
                     use_ssl=self.args.direct_tls, force_starttls=True)

    def finish(self, code):
        if not self.finished.done():
            self.finished.set_result(code)

    def stop(self):
        """Close the stream cleanly, then exit 0."""
        if self.stopping:
            return
        self.stopping = True
        self.cancel_connection_attempt()
        if self.transport is None:
            self.finish(EXIT_OK)
        else:
            self.disconnect(wait=2.0)

    async def _session_start(self, _event):
        self.send_presence()
        await self.get_roster()
        await self.on_ready()
        self.ready = True
        emit("READY")

    async def on_ready(self):
        """Hook for subclasses: runs before READY is printed."""

    def _message(self, msg):
        if msg["type"] == "error":
            emit("ERROR", msg["from"], msg["error"]["condition"] or "unknown")
            return
        if msg.xml.find("{jabber:client}body") is None:
            return  # receipts and the like carry no body
        emit("RECV", msg["from"], jstr(msg["body"]))
        replace = msg.xml.find("{urn:xmpp:message-correct:0}replace")
        reply = msg.xml.find("{urn:xmpp:reply:0}reply")
        emit("IDS", msg["from"], msg["id"] or "-",
             replace.get("id") if replace is not None else "-",
             reply.get("id") if reply is not None else "-")
        self.on_message(msg)

    def _chat_state(self, msg):
        reactions = msg.xml.find("{urn:xmpp:reactions:0}reactions")
        if reactions is not None:
            emit("REACTIONS", msg["from"], reactions.get("id"),
                 jstr([r.text for r in reactions]))
        retract = msg.xml.find("{urn:xmpp:message-retract:1}retract")
        if retract is not None:
            emit("RETRACT", msg["from"], retract.get("id"))
        for marker in ("received", "displayed", "acknowledged"):
            found = msg.xml.find("{urn:xmpp:chat-markers:0}%s" % marker)
            if found is not None:
                emit("MARKER", msg["from"], marker, found.get("id"))
        if msg.xml.find("{jabber:client}body") is not None:
            return
        for child in msg.xml:
            if child.tag.startswith("{%s}" % NS_CHATSTATES):
                emit("STATE", msg["from"], child.tag.split("}")[1])

    def on_message(self, msg):
        """Hook for subclasses: a message with a body arrived."""

    def _presence(self, pres):
        emit("PRESENCE", pres["from"], pres["type"] or "available")
        if pres["type"] in ("", "available", "chat", "away", "xa", "dnd"):
            emit("SHOW", pres["from"], pres["show"] or "online",
                 pres["priority"], jstr(pres["status"]))

    def _disconnected(self, reason):
        if self.stopping:
            self.finish(EXIT_OK)
            return
        emit("DISCONNECTED", jstr(str(reason) if reason else ""))
        if self.args.reconnect:
            self.ready = False
            self.start()
        elif not self.finished.done():
            self.finish(EXIT_DISCONNECTED if self.ready else EXIT_CONNECT)

    def _failed_auth(self, stanza):
        emit("AUTH-FAILED", stanza["condition"] or "unknown")
        sys.stderr.write("authentication failed for %s\n" % self.boundjid)
        self.stopping = True
        self.abort()
        self.finish(EXIT_AUTH)

    def _connection_failed(self, reason):
        if isinstance(reason, ssl.SSLCertVerificationError):
            # With direct TLS the certificate check fails inside connect.
            self._tls_failed(reason)
            return
        emit("CONNECT-FAILED", jstr(str(reason)))
        if self.args.reconnect and not self.stopping:
            return  # slixmpp retries by itself, with back-off
        sys.stderr.write("connection to %s:%s failed: %s\n"
                         % (self.args.host, self.args.port, reason))
        self.stopping = True
        self.cancel_connection_attempt()
        self.finish(EXIT_CONNECT)

    def _tls_failed(self, exc):
        emit("TLS-FAILED", jstr(str(exc)))
        sys.stderr.write("TLS refused: %s\n" % exc)
        self.stopping = True
        self.abort()
        self.finish(EXIT_TLS)


def run(bot):
    """Connect and serve until stopped; returns the exit status."""
    loop = bot.loop
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, bot.stop)
    bot.start()
    code = loop.run_until_complete(bot.finished)
    return code


def main(bot_class, args):
    # slixmpp binds to the current event loop when constructed.
    asyncio.set_event_loop(asyncio.new_event_loop())
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR,
                        stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    bot = bot_class(args)
    sys.exit(run(bot))
