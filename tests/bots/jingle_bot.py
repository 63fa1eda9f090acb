#!/usr/bin/python3
# Jingle file-transfer bot for natter's tests: a small Jingle layer of its
# own (XEP-0166 session-initiate / session-accept / session-terminate with
# an XEP-0234 file description and the XEP-0261 IBB transport) over
# slixmpp's in-band bytestreams (xep_0047), which slixmpp 1.8 has while it
# has no Jingle plugin. It advertises both in disco#info.
#
# Offers that arrive are answered as --on-offer says (accept or decline);
# an accepted file is gathered from the bytestream and reported.
# In --commands mode each JSON line on stdin is one of:
#   {"offer": {"to": FULLJID, "path": FILE, "name": N, "hash": "lie",
#              "size": N, "gap": true, "oversize": true, "noclose": true,
#              "pause": true}}
#       offer FILE (name, size and hash may lie; gap skips a block number,
#       oversize sends a block twice the agreed size, noclose terminates
#       the session without closing the bytestream, pause stops after
#       half the file) and send it once accepted;
#   {"resume": SID}  send the rest of a paused file;
#   {"raw": XML}  send XML as it is.
# stdout lines, besides botlib.py's:
#   OFFER <from> <sid> <json name> <size> <hash b64>   an offer came
#   DECLINED <sid>                          we declined it
#   RECEIVED <sid> <sha256 hex> <length>    an accepted file arrived whole
#   OFFERED <sid>                           natter acknowledged our offer
#   BYTESTREAM <sid> <ibb sid>              then: the bytestream it will use
#   ACCEPTED <sid> <block size>             natter accepted it
#   SENT-ALL <sid>                          every block acknowledged, closed
#   PAUSED <sid>                            half of the file sent (pause)
#   SEND-FAILED <sid> <condition>           a block or the open was refused
#   TERMINATED <from> <sid> <reason>        a session-terminate came
#   IQERROR <from> <id> <condition>         an error answer to our request
#   SENT <id>                               a raw stanza went out
import asyncio
import base64
import hashlib
import json
import os
import uuid
import xml.etree.ElementTree as ET

from slixmpp.exceptions import IqError
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

import botlib

NS_JINGLE = "urn:xmpp:jingle:1"
NS_FT = "urn:xmpp:jingle:apps:file-transfer:5"
NS_JIBB = "urn:xmpp:jingle:transports:ibb:1"
NS_HASHES = "urn:xmpp:hashes:2"


def q(ns, name):
    return "{%s}%s" % (ns, name)


class JingleBot(botlib.TestBot):
    def __init__(self, args):
        super().__init__(args)
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0047", {"auto_accept": True,
                                          "max_block_size": 65535})
        # Like xep_0047's, once the JID is bound (disco keeps them per JID).
        self.add_event_handler("session_bind", self._advertise)
        self.incoming = {}  # ibb sid -> jingle sid of files we accepted
        self.outgoing = {}  # jingle sid -> what to send
        self.paused = {}  # jingle sid -> future that resumes the sending
        self.stdin_buf = b""
        self.register_handler(Callback(
            "jingle", MatchXPath("{jabber:client}iq/{%s}jingle" % NS_JINGLE),
            self._jingle))
        self.register_handler(Callback(
            "iq errors", MatchXPath("{jabber:client}iq/{jabber:client}error"),
            self._iq_error))
        self.add_event_handler("ibb_stream_start", self._stream_start)

    def _advertise(self, _jid):
        for feature in (NS_JINGLE, NS_FT, NS_JIBB):
            self["xep_0030"].add_feature(feature)

    async def on_ready(self):
        if self.args.commands:
            self.loop.add_reader(0, self._stdin_readable)

    # -- answering --

    def _iq_error(self, iq):
        if iq["type"] != "error":
            return
        botlib.emit("IQERROR", iq["from"], iq["id"] or "-",
                    iq["error"]["condition"] or "unknown")

    def _jingle(self, iq):
        if iq["type"] != "set":
            return
        jingle = iq.xml.find(q(NS_JINGLE, "jingle"))
        action, sid = jingle.get("action"), jingle.get("sid")
        if action == "session-initiate":
            iq.reply().send()
            self._offer_came(iq, jingle, sid)
        elif action == "session-accept" and sid in self.outgoing:
            iq.reply().send()
            t = jingle.find("%s/%s" % (q(NS_JINGLE, "content"),
                                       q(NS_JIBB, "transport")))
            block = int(t.get("block-size")) if t is not None else 4096
            botlib.emit("ACCEPTED", sid, block)
            asyncio.ensure_future(self._send_file(iq["from"], sid, block))
        elif action == "session-terminate":
            iq.reply().send()
            reason = jingle.find(q(NS_JINGLE, "reason"))
            why = "-"
            if reason is not None:
                for child in reason:
                    if child.tag != q(NS_JINGLE, "text"):
                        why = child.tag.split("}")[1]
            self.outgoing.pop(sid, None)
            botlib.emit("TERMINATED", iq["from"], sid, why)
        else:
            iq.reply().send()

    def _offer_came(self, iq, jingle, sid):
        content = jingle.find(q(NS_JINGLE, "content"))
        f = content.find("%s/%s" % (q(NS_FT, "description"), q(NS_FT, "file")))
        t = content.find(q(NS_JIBB, "transport"))
        h = f.find(q(NS_HASHES, "hash"))
        botlib.emit("OFFER", iq["from"], sid,
                    botlib.jstr(f.findtext(q(NS_FT, "name"))),
                    f.findtext(q(NS_FT, "size")),
                    h.text if h is not None else "-")
        if self.args.on_offer == "decline":
            self._terminate(iq["from"], sid, "decline")
            botlib.emit("DECLINED", sid)
            return
        self.incoming[t.get("sid")] = sid
        accept = self.Iq()
        accept["type"] = "set"
        accept["to"] = iq["from"]
        j = ET.Element(q(NS_JINGLE, "jingle"), action="session-accept",
                       sid=sid, responder=str(self.boundjid))
        c = ET.SubElement(j, q(NS_JINGLE, "content"),
                          creator=content.get("creator"),
                          name=content.get("name"))
        d = ET.SubElement(c, q(NS_FT, "description"))
        d.append(f)
        ET.SubElement(c, q(NS_JIBB, "transport"), sid=t.get("sid"),
                      **{"block-size": t.get("block-size")})
        accept.append(j)
        accept.send()

    def _stream_start(self, stream):
        sid = self.incoming.pop(stream.sid, None)
        if sid is None:
            return
        asyncio.ensure_future(self._gather(stream, sid))

    async def _gather(self, stream, sid):
        data = await stream.gather(timeout=120)
        botlib.emit("RECEIVED", sid, hashlib.sha256(data).hexdigest(),
                    len(data))

    def _terminate(self, to, sid, reason):
        iq = self.Iq()
        iq["type"] = "set"
        iq["to"] = to
        j = ET.Element(q(NS_JINGLE, "jingle"), action="session-terminate",
                       sid=sid)
        r = ET.SubElement(j, q(NS_JINGLE, "reason"))
        ET.SubElement(r, q(NS_JINGLE, reason))
        iq.append(j)
        iq.send()

    # -- offering --

    async def _offer(self, o):
        with open(o["path"], "rb") as fh:
            data = fh.read()
        sid, ibb_sid = str(uuid.uuid4()), str(uuid.uuid4())
        digest = hashlib.sha256(data if o.get("hash") != "lie"
                                else data + b"lie").digest()
        iq = self.Iq()
        iq["type"] = "set"
        iq["to"] = o["to"]
        j = ET.Element(q(NS_JINGLE, "jingle"), action="session-initiate",
                       sid=sid, initiator=str(self.boundjid))
        c = ET.SubElement(j, q(NS_JINGLE, "content"), creator="initiator",
                          name="a-file", senders="initiator")
        d = ET.SubElement(c, q(NS_FT, "description"))
        f = ET.SubElement(d, q(NS_FT, "file"))
        ET.SubElement(f, q(NS_FT, "name")).text = o.get(
            "name", os.path.basename(o["path"]))
        ET.SubElement(f, q(NS_FT, "size")).text = str(o.get("size",
                                                            len(data)))
        ET.SubElement(f, q(NS_HASHES, "hash"), algo="sha-256").text = \
            base64.b64encode(digest).decode()
        ET.SubElement(c, q(NS_JIBB, "transport"), sid=ibb_sid,
                      **{"block-size": "4096"})
        iq.append(j)
        self.outgoing[sid] = dict(o, data=data, ibb_sid=ibb_sid)
        try:
            await iq.send()
        except IqError as exc:
            botlib.emit("SEND-FAILED", sid,
                        exc.iq["error"]["condition"] or "unknown")
            return
        botlib.emit("OFFERED", sid)
        botlib.emit("BYTESTREAM", sid, ibb_sid)

    async def _send_file(self, to, sid, block):
        o = self.outgoing.get(sid)
        data = o["data"]
        try:
            stream = await self["xep_0047"].open_stream(
                to, block_size=block, sid=o["ibb_sid"])
            if o.get("gap"):
                await stream.send(data[:block])
                stream.send_seq += 1  # block 2 comes where 1 is due
            if o.get("oversize"):
                stream.block_size = block * 2
            if o.get("pause"):
                # Half, then nothing until {"resume": SID} comes.
                half = len(data) // 2 // block * block
                await stream.sendall(data[:half])
                data = data[half:]
                self.paused[sid] = self.loop.create_future()
                botlib.emit("PAUSED", sid)
                await self.paused[sid]
            await stream.sendall(data)
            if not o.get("noclose"):
                await stream.close()
        except IqError as exc:
            botlib.emit("SEND-FAILED", sid,
                        exc.iq["error"]["condition"] or "unknown")
            return
        botlib.emit("SENT-ALL", sid)
        self._terminate(to, sid, "success")

    # -- commands --

    def _stdin_readable(self):
        chunk = os.read(0, 65536)
        if not chunk:
            self.loop.remove_reader(0)
            return
        self.stdin_buf += chunk
        while b"\n" in self.stdin_buf:
            line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
            if line.strip():
                self._command(json.loads(line.decode()))

    def _command(self, cmd):
        if "offer" in cmd:
            asyncio.ensure_future(self._offer(cmd["offer"]))
        elif "resume" in cmd:
            future = self.paused.pop(cmd["resume"], None)
            if future is not None:
                future.set_result(True)
        elif "raw" in cmd:
            self.send_raw(cmd["raw"])
            botlib.emit("SENT", cmd.get("id", "raw"))


def main():
    p = botlib.arg_parser("XMPP bot that sends and takes Jingle files")
    p.add_argument("--on-offer", choices=("accept", "decline"),
                   default="accept")
    p.add_argument("--commands", action="store_true",
                   help="read JSON commands from stdin")
    botlib.main(JingleBot, p.parse_args())


if __name__ == "__main__":
    main()
