#!/usr/bin/python3
# Sender bot for natter's tests: sends N numbered messages (--to/--count), and
# in --commands mode sends whatever JSON lines on stdin ask for, including raw
# (possibly hostile) XML, so tests can inject arbitrary stanzas.
# stdout: READY, "SENT i" per numbered message, DONE, "SENT <id>" per command,
# plus the RECV/PRESENCE/... lines of botlib.py (echoes come back as RECV).
#
# Commands, one JSON object a line:
#   {"to": JID, "body": TEXT, "type": "chat", "id": ID, "subject": S,
#    "thread": T, "stamp": true}           a message (type defaults to chat);
#                                          with stamp, "STAMP <id> <ns>" is
#                                          printed first: time.monotonic_ns()
#                                          just before the send (benchmarks)
#   {"raw": "<message .../>", "id": ID}    bytes sent as they are
#   {"presence": {"to": JID, "type": T, "show": S, "status": S}}
#   {"quit": true}                         close the stream and exit 0
# With --receipts, numbered messages have the id "n<i>" and ask for a
# delivery receipt (XEP-0184); each receipt is printed as "RECEIPT <from>
# <id>".
# With --hold-iqs, requests (iq get/set) are not answered but printed as
# "IQ <from> <id> <type> <payload namespace>", so a test can answer them
# by hand (or let someone else try to).
# Answers to IQs sent raw are printed as "IQ <id> <result|error>", then
# "IQXML <id> <json of the whole answer>" for a test to read its payload.
# With --adhoc, the bot offers an ad-hoc command (XEP-0050) "steps" of two
# stages (a name, then a colour, with prev and complete) and prints
# "ADHOC <stage> ..." as it goes, "ADHOC done <name> <colour>" at the end.
import asyncio
import json
import os
import time

import botlib
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath


class SenderBot(botlib.TestBot):
    def __init__(self, args):
        super().__init__(args)
        if args.hold_iqs:
            self.register_handler(Callback(
                "held iqs", MatchXPath("{jabber:client}iq"), self._held_iq))
        self.serial = 0
        self.stdin_buf = b""
        # Both happen once, even if --reconnect starts a new session.
        self.numbered_started = False
        self.ready_once = False
        if args.receipts:
            self.register_plugin("xep_0184")
            self["xep_0184"].auto_request = True
            self.add_event_handler("receipt_received", self._receipt)
        self.register_handler(Callback(
            "sender iq answers", MatchXPath("{jabber:client}iq"),
            self._iq_answer))
        if args.adhoc:
            self.register_plugin("xep_0004")
            self.register_plugin("xep_0050")
            self.add_event_handler("session_start", self._offer_command)

    # -- the two-stage ad-hoc command (--adhoc) --

    def _offer_command(self, _event):
        self["xep_0050"].add_command(node="steps", name="Two steps",
                                     handler=self._step_name)

    def _step_name(self, iq, session):
        form = self["xep_0004"].make_form("form", "Who are you?")
        form.add_field(var="name", ftype="text-single", label="Your name",
                       required=True)
        session.update(payload=form, next=self._step_colour, prev=None,
                       has_next=True, allow_prev=False, allow_complete=False)
        botlib.emit("ADHOC", "name")
        return session

    def _step_colour(self, payload, session):
        session["name"] = payload["values"]["name"]
        form = self["xep_0004"].make_form("form", "Pick a colour")
        form.add_field(var="colour", ftype="list-single", label="Colour",
                       options=[{"value": "red", "label": "Red"},
                                {"value": "blue", "label": "Blue"}])
        session.update(payload=form, next=self._step_done,
                       prev=lambda _p, sess: self._step_name(None, sess),
                       has_next=True, allow_prev=True, allow_complete=True)
        botlib.emit("ADHOC", "colour", session["name"])
        return session

    def _step_done(self, payload, session):
        colour = payload["values"]["colour"]
        session.update(payload=None, next=None, has_next=False,
                       notes=[("info", "Hello %s, you picked %s."
                               % (session["name"], colour))])
        botlib.emit("ADHOC", "done", session["name"], colour)
        return session

    def _receipt(self, msg):
        botlib.emit("RECEIPT", msg["from"], msg["receipt"])

    def _iq_answer(self, iq):
        if iq["type"] in ("result", "error"):
            botlib.emit("IQ", iq["id"], iq["type"])
            botlib.emit("IQXML", iq["id"], botlib.jstr(str(iq)))

    async def on_ready(self):
        if self.args.commands and not self.ready_once:
            self.ready_once = True
            self.loop.add_reader(0, self._stdin_readable)

    async def _session_start(self, event):
        await super()._session_start(event)
        if self.args.to and not self.numbered_started:
            self.numbered_started = True
            asyncio.ensure_future(self._send_numbered())

    async def _send_numbered(self):
        for i in range(1, self.args.count + 1):
            msg = self.make_message(mto=self.args.to,
                                    mbody=self.args.text.format(i=i),
                                    mtype=self.args.type)
            if self.args.receipts:
                msg["id"] = "n%d" % i
            msg.send()
            botlib.emit("SENT", i)
            if self.args.interval_ms and i < self.args.count:
                # Pacing the sender, not waiting for anything.
                await asyncio.sleep(self.args.interval_ms / 1000.0)
        botlib.emit("DONE")

    def _stdin_readable(self):
        data = os.read(0, 65536)
        if not data:
            self.loop.remove_reader(0)
            return
        self.stdin_buf += data
        while b"\n" in self.stdin_buf:
            line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
            if line.strip():
                self._command(line.decode("utf-8", "surrogateescape"))

    def _held_iq(self, iq):
        kind = iq["type"]
        if kind not in ("get", "set"):
            return
        payload = next(iter(iq.xml), None)
        ns = payload.tag.split("}")[0].lstrip("{") if payload is not None \
            else "-"
        botlib.emit("IQ", iq["from"], iq["id"], kind, ns)

    def _next_id(self, prefix):
        self.serial += 1
        return "%s-%d" % (prefix, self.serial)

    def _command(self, line):
        try:
            cmd = json.loads(line)
        except ValueError as exc:
            botlib.emit("BAD", botlib.jstr(str(exc)))
            return
        if cmd.get("quit"):
            self.stop()
        elif "raw" in cmd:
            self.send_raw(cmd["raw"])
            botlib.emit("SENT", cmd.get("id") or self._next_id("raw"))
        elif "presence" in cmd:
            p = cmd["presence"]
            pres = self.make_presence(pto=p.get("to"), ptype=p.get("type"),
                                      pshow=p.get("show"),
                                      pstatus=p.get("status"))
            pres["id"] = p.get("id") or self._next_id("pres")
            pres.send()
            botlib.emit("SENT", pres["id"])
        elif "to" in cmd:
            msg = self.make_message(mto=cmd["to"], mbody=cmd.get("body"),
                                    mtype=cmd.get("type", "chat"),
                                    msubject=cmd.get("subject"))
            if cmd.get("thread"):
                msg["thread"] = cmd["thread"]
            msg["id"] = cmd.get("id") or self._next_id("msg")
            if cmd.get("stamp"):
                botlib.emit("STAMP", msg["id"], time.monotonic_ns())
            msg.send()
            botlib.emit("SENT", msg["id"])
        else:
            botlib.emit("BAD", botlib.jstr("unknown command"))


def main():
    p = botlib.arg_parser("XMPP sender bot for natter tests")
    p.add_argument("--to", help="send numbered messages to this JID")
    p.add_argument("--hold-iqs", action="store_true",
                   help="print requests instead of answering them")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--text", default="msg {i}",
                   help="message text; {i} is the number (from 1)")
    p.add_argument("--type", default="chat")
    p.add_argument("--interval-ms", type=int, default=0)
    p.add_argument("--receipts", action="store_true",
                   help="ask for delivery receipts on numbered messages "
                        "and print them")
    p.add_argument("--commands", action="store_true",
                   help="read JSON commands from stdin")
    p.add_argument("--adhoc", action="store_true",
                   help="offer the two-stage ad-hoc command 'steps'")
    botlib.main(SenderBot, p.parse_args())


if __name__ == "__main__":
    main()
