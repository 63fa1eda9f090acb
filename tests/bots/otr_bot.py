#!/usr/bin/python3
# OTR bot for natter's interop tests: an OTR peer that shares no code with
# natter or libotr (python3-potr, a pure Python OTR version 2 implementation,
# over slixmpp). Debian's python3-potr 1.0.2 was written for PyCrypto; the
# packaged pycryptodome needs three fixes, made here at run time (nothing
# on the system is changed): DSA key generation, the AES-CTR counter, and
# DSA signing and verifying (pycryptodome signs only through its DSS
# module, which truncates the hash; OTR as libotr does it takes the whole
# 256-bit value modulo q, as PyCrypto's sign() did).
#
# Commands, one JSON object a line on stdin:
#   {"start": JID}                      send the OTR query
#   {"send": JID, "body": TEXT}         send TEXT (encrypted when private)
#   {"smp": JID, "secret": S, "question": Q}   start SMP (Q may be absent)
#   {"answer": JID, "secret": S}        answer the peer's SMP
#   {"end": JID}                        end the private session
#   {"archive": true}                   list our server archive (XEP-0313)
#   {"quit": true}
# stdout: READY, then "FINGERPRINT <hex>" of our key, and
#   OTR_RECV <from> <json text>     a message, decrypted if it was
#   PLAIN_RECV <from> <json text>   a message that was not OTR
#   STATE <jid> plaintext|encrypted|finished   on each change
#   SMP_ASKED <jid> <json question or "">
#   SMP <jid> succeeded|failed|cheated
#   OTR_ERROR <jid> <json reason>
#   ARCHIVED <from> <json body>     one message of our archive, then
#   ARCHIVE_END                     when the archive is listed
#   DONE <command>                  a command was carried out
import asyncio
import json
import os
import xml.etree.ElementTree as ET

import botlib
import potr
from potr import proto
from potr.compatcrypto import pycrypto as pc
from potr.utils import bytes_to_long, long_to_bytes
from Cryptodome.Cipher import AES
from Cryptodome.PublicKey import DSA
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

# ---- the fixes for pycryptodome ------------------------------------------


def _generate(cls):
    key = DSA.generate(1024)
    return cls((key.y, key.g, key.p, key.q, key.x), private=True)


def _aesctr(key, counter=0):
    prefix = counter.prefix if isinstance(counter, pc.Counter) else counter
    # OTR's counter: the top 8 bytes, then a block counter from 0.
    return AES.new(key, AES.MODE_CTR, nonce=long_to_bytes(prefix, 8),
                   initial_value=0)


def _sign(self, data):
    k = pc.randrange(2, self.priv.q)
    r, s = self.priv._sign(bytes_to_long(data), k)
    return long_to_bytes(r, 20) + long_to_bytes(s, 20)


def _verify(self, data, sig):
    r, s = bytes_to_long(sig[:20]), bytes_to_long(sig[20:])
    return self.pub._verify(bytes_to_long(data), (r, s))


pc.DSAKey.generate = classmethod(_generate)
pc.DSAKey.sign = _sign
pc.DSAKey.verify = _verify
pc.AESCTR = _aesctr
potr.crypt.AESCTR = _aesctr

POLICY = {"ALLOW_V1": False, "ALLOW_V2": True, "REQUIRE_ENCRYPTION": False,
          "SEND_TAG": False, "WHITESPACE_START_AKE": False,
          "ERROR_START_AKE": False}
STATES = {potr.context.STATE_PLAINTEXT: "plaintext",
          potr.context.STATE_ENCRYPTED: "encrypted",
          potr.context.STATE_FINISHED: "finished"}


class Context(potr.context.Context):
    def getPolicy(self, key):
        return POLICY.get(key, False)

    def inject(self, msg, appdata=None):
        self.user.bot.send_message(mto=self.peer, mbody=msg.decode("ascii"),
                                   mtype="chat")

    def setState(self, newstate):
        super().setState(newstate)
        botlib.emit("STATE", self.peer, STATES.get(newstate, newstate))


class Account(potr.context.Account):
    contextclass = Context

    def __init__(self, bot, jid):
        super().__init__(jid, "xmpp", 0)
        self.bot = bot

    def loadPrivkey(self):
        return None

    def savePrivkey(self):
        pass

    def saveTrusts(self):
        pass


class OtrBot(botlib.TestBot):
    def __init__(self, args):
        super().__init__(args)
        self.account = Account(self, self.boundjid.bare)
        self.stdin_buf = b""
        self.smp_prog = {}
        self.register_handler(Callback(
            "archive results",
            MatchXPath("{jabber:client}message/{urn:xmpp:mam:2}result"),
            self._archived))

    def _archived(self, msg):
        fwd = msg.xml.find("{urn:xmpp:mam:2}result/{urn:xmpp:forward:0}"
                           "forwarded/{jabber:client}message")
        if fwd is None:
            return
        body = fwd.find("{jabber:client}body")
        botlib.emit("ARCHIVED", fwd.get("from"), botlib.jstr(
            body.text if body is not None and body.text else ""))

    async def _archive(self):
        iq = self.make_iq_set()
        iq.xml.append(ET.Element("{urn:xmpp:mam:2}query"))
        await iq.send()
        botlib.emit("ARCHIVE_END")

    async def on_ready(self):
        key = self.account.getPrivkey()
        botlib.emit("FINGERPRINT", key.cfingerprint().upper()
                    if hasattr(key, "cfingerprint")
                    else key.fingerprint().hex().upper())
        self.loop.add_reader(0, self._stdin_readable)

    def ctx(self, jid):
        return self.account.getContext(jid)

    def on_message(self, msg):
        if msg["type"] not in ("chat", "normal"):
            return
        peer = msg["from"].bare
        ctx = self.ctx(peer)
        body = msg["body"].encode("utf-8")
        try:
            text, tlvs = ctx.receiveMessage(body)
        except potr.context.NotOTRMessage:
            botlib.emit("PLAIN_RECV", peer, botlib.jstr(msg["body"]))
            return
        except potr.context.UnencryptedMessage as exc:
            botlib.emit("PLAIN_RECV", peer, botlib.jstr(str(exc.args[0])))
            return
        except (potr.context.ErrorReceived,
                potr.context.NotEncryptedError) as exc:
            botlib.emit("OTR_ERROR", peer, botlib.jstr(repr(exc)))
            return
        for tlv in tlvs:
            if isinstance(tlv, proto.SMP1QTLV):
                botlib.emit("SMP_ASKED", peer,
                            botlib.jstr(tlv.msg.decode("utf-8", "replace")))
            elif isinstance(tlv, proto.SMP1TLV):
                botlib.emit("SMP_ASKED", peer, botlib.jstr(""))
        self._smp_result(peer, ctx)
        if text:
            botlib.emit("OTR_RECV", peer,
                        botlib.jstr(text.decode("utf-8", "replace")))

    def _smp_result(self, peer, ctx):
        smp = ctx.crypto.smp
        prog = smp.prog if smp else None
        if prog == self.smp_prog.get(peer):
            return
        self.smp_prog[peer] = prog
        names = {potr.crypt.SMPPROG_SUCCEEDED: "succeeded",
                 potr.crypt.SMPPROG_FAILED: "failed",
                 potr.crypt.SMPPROG_CHEATED: "cheated"}
        if prog in names:
            botlib.emit("SMP", peer, names[prog])

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
        if cmd.get("archive"):
            asyncio.ensure_future(self._archive())
        elif "start" in cmd:
            ctx = self.ctx(cmd["start"])
            ctx.inject(self.account.getDefaultQueryMessage(ctx.getPolicy))
            botlib.emit("DONE", "start")
        elif "send" in cmd:
            ctx = self.ctx(cmd["send"])
            out = ctx.sendMessage(potr.context.FRAGMENT_SEND_ALL,
                                  cmd["body"].encode("utf-8"))
            if out is not None:  # not private: potr hands it back as it is
                ctx.inject(out)
            botlib.emit("DONE", "send")
        elif "smp" in cmd:
            ctx = self.ctx(cmd["smp"])
            self.smp_prog[cmd["smp"]] = None
            q = cmd.get("question")
            ctx.smpInit(cmd["secret"].encode("utf-8"),
                        question=q.encode("utf-8") if q else None)
            botlib.emit("DONE", "smp")
        elif "answer" in cmd:
            ctx = self.ctx(cmd["answer"])
            ctx.smpGotSecret(cmd["secret"].encode("utf-8"))
            self._smp_result(cmd["answer"], ctx)
            botlib.emit("DONE", "answer")
        elif "end" in cmd:
            self.ctx(cmd["end"]).disconnect()
            botlib.emit("DONE", "end")


if __name__ == "__main__":
    parser = botlib.arg_parser("OTR bot (python3-potr)")
    botlib.main(OtrBot, parser.parse_args())
