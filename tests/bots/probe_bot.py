#!/usr/bin/python3
# Probe bot for natter's tests of the everyday protocol: it answers software
# version, ping, time, last activity and disco#info like a real client
# (slixmpp's plugins; its presence carries caps), reports the caps of every
# presence it gets and every request natter sends it, and asks natter
# whatever IQ a test writes on its stdin, printing the raw answer.
#
# stdout, besides the lines of botlib.py:
#   CAPS <from> <hash> <node> <ver>    a presence with an XEP-0115 <c/>
#   IQ-GET <from> <ns> <node|->        a get request natter sent us
#   ANSWER <id> <type> <json xml>      the answer to a request we sent
# Commands, one JSON object a line:
#   {"iq": XML-OF-THE-PAYLOAD, "to": JID, "id": ID}   an IQ get
#                               ("type": "set" makes it a set)
#   {"presence": true}          our presence again (with caps)
#   {"raw": XML}                bytes sent as they are
#   {"message": JID, "body": T} a chat message
#   {"quit": true}
# Each command but quit prints "SENT <id or 'presence'/'raw'/'message'>".
import datetime
import json
import os

import botlib
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath
from slixmpp.xmlstream import ET


class ProbeBot(botlib.TestBot):
    def __init__(self, args):
        super().__init__(args)
        # Not xep_0202: slixmpp 1.8.3 fails answering time requests (its
        # tzo parser), so the bot answers those itself (see _iq).
        # --forge: a hostile client without plugins, whose disco#info
        # answer never matches the caps it announces.
        for plugin in () if args.forge else (
                "xep_0030", "xep_0115", "xep_0092", "xep_0199", "xep_0012"):
            self.register_plugin(plugin)
        if not args.forge:
            self["xep_0092"].software_name = "probebot"
            self["xep_0092"].version = "4.2"
        self.stdin_buf = b""
        self.asked = {}
        self.register_handler(Callback(
            "probe iq", MatchXPath("{jabber:client}iq"), self._iq))
        self.add_event_handler("presence", self._caps)

    async def on_ready(self):
        if not self.args.forge:
            # An idle time the test can recognise.
            await self["xep_0012"].set_last_activity(
                self.boundjid.full, seconds=self.args.idle)
            # slixmpp only adds <c/> to presence once the ver is computed.
            await self["xep_0115"].update_caps()
        self.loop.add_reader(0, self._stdin_readable)

    def _caps(self, pres):
        c = pres.xml.find("{http://jabber.org/protocol/caps}c")
        if c is not None:
            botlib.emit("CAPS", pres["from"], c.get("hash"), c.get("node"),
                        c.get("ver"))

    def _iq(self, iq):
        kind = iq["type"]
        if kind == "get":
            payload = next(iter(iq.xml), None)
            if payload is not None:
                ns = payload.tag.split("}")[0].lstrip("{")
                botlib.emit("IQ-GET", iq["from"], ns,
                            payload.get("node") or "-")
                if ns == "urn:xmpp:time":
                    self._answer_time(iq)
                elif self.args.forge and ns.endswith("disco#info"):
                    self.send_raw(
                        "<iq type='result' id='%s' to='%s'><query xmlns='%s'"
                        " node='%s'><identity category='client' type='pc'/>"
                        "<feature var='urn:forged'/></query></iq>"
                        % (iq["id"], iq["from"], ns, payload.get("node")))
        elif kind in ("result", "error") and iq["id"] in self.asked:
            del self.asked[iq["id"]]
            botlib.emit("ANSWER", iq["id"], kind,
                        botlib.jstr(ET.tostring(iq.xml, encoding="unicode")))

    def _answer_time(self, iq):
        # A fixed zone a test can check: India, +05:30.
        utc = datetime.datetime.now(datetime.timezone.utc)
        self.send_raw(
            "<iq type='result' id='%s' to='%s'><time xmlns='urn:xmpp:time'>"
            "<tzo>+05:30</tzo><utc>%s</utc></time></iq>"
            % (iq["id"], iq["from"], utc.strftime("%Y-%m-%dT%H:%M:%SZ")))

    def _stdin_readable(self):
        data = os.read(0, 65536)
        if not data:
            self.loop.remove_reader(0)
            return
        self.stdin_buf += data
        while b"\n" in self.stdin_buf:
            line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
            if line.strip():
                self._command(json.loads(line))

    def _command(self, cmd):
        if cmd.get("quit"):
            self.stop()
            return
        if cmd.get("presence"):
            self.send_presence()
            botlib.emit("SENT", "presence")
            return
        if "raw" in cmd:
            self.send_raw(cmd["raw"])
            botlib.emit("SENT", "raw")
            return
        if "message" in cmd:
            self.send_message(mto=cmd["message"], mbody=cmd["body"],
                              mtype="chat")
            botlib.emit("SENT", "message")
            return
        iq_id = cmd["id"]
        self.asked[iq_id] = True
        self.send_raw("<iq type='%s' id='%s' to='%s'>%s</iq>"
                      % (cmd.get("type", "get"), iq_id, cmd["to"],
                         cmd["iq"]))
        botlib.emit("SENT", iq_id)


def main():
    p = botlib.arg_parser("XMPP probe bot for natter tests")
    p.add_argument("--idle", type=int, default=3600,
                   help="seconds of idle time it reports (XEP-0012)")
    p.add_argument("--forge", action="store_true",
                   help="no plugins; disco#info answers never match caps")
    botlib.main(ProbeBot, p.parse_args())


if __name__ == "__main__":
    main()
