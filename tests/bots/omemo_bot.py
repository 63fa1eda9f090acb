#!/usr/bin/python3
# OMEMO 0.3 peer for natter's interop tests: python-omemo with its oldmemo
# backend (Debian: python3-omemo, python3-oldmemo), an implementation that
# shares no code with natter's libomemo-c, glued to slixmpp here since
# slixmpp-omemo is not packaged. Keys live in memory: each run is a new
# device. Trust: every device is trusted (blind trust).
#
# stdout: besides botlib's lines,
#   DEVICE <id>                   our device id, before READY
#   DECRYPTED <from> <json body>  an OMEMO message we could read
#   UNDECRYPTABLE <from> <why>    one we could not
#   ENCRYPTED <to> <n devices>    a message we sent
#   FAILED <to> <why>             one we could not encrypt
#   SLOT <json put> <json get> <json headers>  an upload slot
# stdin, one JSON object a line:
#   {"to": JID, "body": TEXT}     send TEXT encrypted with OMEMO 0.3
#   {"slot": SERVICE, "filename": NAME, "size": N}  ask for an upload slot
#   {"quit": true}
import json
import sys
import xml.etree.ElementTree as ET

import botlib
import omemo
import oldmemo
import oldmemo.etree
from omemo.storage import Just, Nothing
from slixmpp.exceptions import IqError

NS = oldmemo.oldmemo.NAMESPACE
NS_UPLOAD = "urn:xmpp:http:upload:0"
NS_PUBSUB = "http://jabber.org/protocol/pubsub"


class MemoryStorage(omemo.Storage):
    def __init__(self):
        super().__init__()
        self.data = {}

    async def _load(self, key):
        return Just(self.data[key]) if key in self.data else Nothing()

    async def _store(self, key, value):
        self.data[key] = value

    async def _delete(self, key):
        self.data.pop(key, None)


class Manager(omemo.SessionManager):
    bot = None  # set before create()

    @classmethod
    async def _upload_bundle(cls, bundle):
        await cls.bot.publish("%s.bundles:%d" % (NS, bundle.device_id),
                              oldmemo.etree.serialize_bundle(bundle))

    @classmethod
    async def _download_bundle(cls, namespace, bare_jid, device_id):
        item = await cls.bot.fetch(bare_jid,
                                   "%s.bundles:%d" % (NS, device_id))
        bundle = item.find("{%s}bundle" % NS) if item is not None else None
        if bundle is None:
            raise omemo.BundleDownloadFailed("no bundle of %s/%d"
                                             % (bare_jid, device_id))
        return oldmemo.etree.parse_bundle(bundle, bare_jid, device_id)

    @classmethod
    async def _delete_bundle(cls, namespace, device_id):
        pass

    @classmethod
    async def _upload_device_list(cls, namespace, device_list):
        await cls.bot.publish("%s.devicelist" % NS,
                              oldmemo.etree.serialize_device_list(device_list))

    @classmethod
    async def _download_device_list(cls, namespace, bare_jid):
        item = await cls.bot.fetch(bare_jid, "%s.devicelist" % NS)
        lst = item.find("{%s}list" % NS) if item is not None else None
        return {} if lst is None else oldmemo.etree.parse_device_list(lst)

    async def _evaluate_custom_trust_level(self, device):
        return omemo.TrustLevel.TRUSTED

    async def _make_trust_decision(self, undecided, identifier):
        pass

    @classmethod
    async def _send_message(cls, message, bare_jid):
        cls.bot.send_omemo(message, bare_jid, None)


class OmemoBot(botlib.TestBot):
    def __init__(self, args):
        super().__init__(args)
        self.register_plugin("xep_0060")
        self.manager = None
        self.stdin_buf = b""
        self.register_handler(botlib.Callback(
            "omemo messages",
            botlib.MatchXPath("{jabber:client}message/{%s}encrypted" % NS),
            self._encrypted))

    async def publish(self, node, payload):
        iq = self.Iq(stype="set")
        pubsub = ET.SubElement(iq.xml, "{%s}pubsub" % NS_PUBSUB)
        publish = ET.SubElement(pubsub, "{%s}publish" % NS_PUBSUB, node=node)
        item = ET.SubElement(publish, "{%s}item" % NS_PUBSUB, id="current")
        item.append(payload)
        options = ET.SubElement(pubsub, "{%s}publish-options" % NS_PUBSUB)
        form = ET.SubElement(options, "{jabber:x:data}x", type="submit")
        for var, value in (("FORM_TYPE", NS_PUBSUB + "#publish-options"),
                           ("pubsub#access_model", "open")):
            f = ET.SubElement(form, "{jabber:x:data}field", var=var)
            ET.SubElement(f, "{jabber:x:data}value").text = value
        await iq.send()

    async def fetch(self, jid, node):
        """The first item of NODE at JID, or None when there is none."""
        iq = self.Iq(stype="get", sto=jid)
        pubsub = ET.SubElement(iq.xml, "{%s}pubsub" % NS_PUBSUB)
        ET.SubElement(pubsub, "{%s}items" % NS_PUBSUB, node=node)
        try:
            result = await iq.send()
        except IqError as e:
            if e.condition == "item-not-found":
                return None
            raise
        return result.xml.find(".//{%s}item" % NS_PUBSUB)

    def send_omemo(self, message, bare_jid, body):
        msg = self.make_message(mto=bare_jid, mtype="chat")
        if body is not None:
            msg["body"] = "I sent you an OMEMO encrypted message."
        msg.append(oldmemo.etree.serialize_message(message))
        msg.send()

    async def on_ready(self):
        Manager.bot = self
        storage = MemoryStorage()
        self.manager = await Manager.create(
            [oldmemo.Oldmemo(storage)], storage, self.boundjid.bare, None,
            "blind")
        own, _ = await self.manager.get_own_device_information()
        botlib.emit("DEVICE", own.device_id)
        self.loop.add_reader(sys.stdin.fileno(), self._stdin)

    def _encrypted(self, msg):
        self.loop.create_task(self._decrypt(msg))

    async def _decrypt(self, msg):
        sender = msg["from"].bare
        try:
            message = await oldmemo.etree.parse_message(
                msg.xml.find("{%s}encrypted" % NS), sender,
                self.boundjid.bare, self.manager)
            plain, _, _ = await self.manager.decrypt(message)
        except Exception as e:  # every failure is a line for the test
            botlib.emit("UNDECRYPTABLE", sender,
                        botlib.jstr("%s: %s" % (type(e).__name__, e)))
            return
        if plain is not None:
            botlib.emit("DECRYPTED", sender, botlib.jstr(plain.decode()))

    def _stdin(self):
        data = sys.stdin.buffer.read1(65536)
        if not data:
            self.loop.remove_reader(sys.stdin.fileno())
            return
        self.stdin_buf += data
        while b"\n" in self.stdin_buf:
            line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
            if line.strip():
                self.loop.create_task(self._command(json.loads(line)))

    async def slot(self, cmd):
        """An upload slot (XEP-0363) of the service cmd["slot"] for a file
        of cmd["size"] bytes named cmd["filename"]: "SLOT <json put url>
        <json get url> <json object: the PUT's headers>", or "FAILED slot
        <json reason>"."""
        iq = self.Iq(stype="get", sto=cmd["slot"])
        ET.SubElement(iq.xml, "{%s}request" % NS_UPLOAD,
                      filename=cmd["filename"], size=str(cmd["size"]),
                      attrib={"content-type": "application/octet-stream"})
        try:
            result = await iq.send()
        except Exception as e:
            botlib.emit("FAILED", "slot", botlib.jstr(str(e)))
            return
        put = result.xml.find(".//{%s}put" % NS_UPLOAD)
        get = result.xml.find(".//{%s}get" % NS_UPLOAD)
        headers = {h.get("name"): h.text or ""
                   for h in put.findall("{%s}header" % NS_UPLOAD)}
        botlib.emit("SLOT", botlib.jstr(put.get("url")),
                    botlib.jstr(get.get("url")), json.dumps(headers))

    async def _command(self, cmd):
        if cmd.get("quit"):
            self.stop()
            return
        if cmd.get("slot"):
            await self.slot(cmd)
            return
        to = cmd["to"]
        try:
            await self.manager.refresh_device_list(NS, to)
            messages, errors = await self.manager.encrypt(
                frozenset([to]), {NS: cmd["body"].encode()})
        except Exception as e:
            botlib.emit("FAILED", to, botlib.jstr("%s: %s"
                                                  % (type(e).__name__, e)))
            return
        for message in messages:
            self.send_omemo(message, to, cmd["body"])
            botlib.emit("ENCRYPTED", to, len(message.keys))


def main():
    p = botlib.arg_parser("OMEMO 0.3 peer (python-omemo) for natter tests")
    botlib.main(OmemoBot, p.parse_args())


if __name__ == "__main__":
    main()
