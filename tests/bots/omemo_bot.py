#!/usr/bin/python3
# OMEMO peer for natter's interop tests: python-omemo with its oldmemo
# backend (OMEMO 0.3; Debian: python3-omemo, python3-oldmemo) or, with
# --omemo2, its twomemo backend only (OMEMO:2, urn:xmpp:omemo:2;
# python3-twomemo), an implementation that shares no code with natter's
# libomemo-c, glued to slixmpp here since slixmpp-omemo is not packaged.
# python-omemo leaves OMEMO:2's stanza content encryption (XEP-0420) to
# the application: the <envelope/> is made and read here. Keys live in
# memory: each run is a new device. Trust: every device is trusted (blind
# trust).
#
# stdout: besides botlib's lines,
#   DEVICE <id>                   our device id, before READY
#   FINGERPRINT <8 groups of hex> our identity key as python-omemo
#                                 shows it (Curve25519 form), before READY
#   DECRYPTED <from> <json body>  an OMEMO message we could read
#   UNDECRYPTABLE <from> <why>    one we could not
#   ENCRYPTED <to> <n devices>    a message we sent
#   FAILED <to> <why>             one we could not encrypt
#   SLOT <json put> <json get> <json headers>  an upload slot
# stdin, one JSON object a line:
#   {"to": JID, "body": TEXT}     send TEXT encrypted with our version
#   {"to": JID, "body": TEXT, "from": JID}
#                                 (OMEMO:2) an envelope naming another
#                                 sender, as a forger would
#   {"raw": XML}                  bytes sent as they are (malformed
#                                 messages)
#   {"join": ROOM, "nick": NICK}  (OMEMO 0.3) joins the room ROOM; prints
#                                 "JOINED <room>" once in
#   {"room": ROOM, "body": TEXT, "members": [JID...]}
#                                 (OMEMO 0.3) a groupchat message to ROOM
#                                 encrypted to the devices of MEMBERS (bare
#                                 JIDs) and our own; "ENCRYPTED <room> <n>"
# In a room, an OMEMO message is decrypted with its sender's real JID, as
# the room's presences show it; DECRYPTED and UNDECRYPTABLE then name the
# sender as ROOM/NICK. Our own room messages coming back are not printed.
#   {"slot": SERVICE, "filename": NAME, "size": N}  ask for an upload slot
#   {"quit": true}
import json
import secrets
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
NS_SCE = "urn:xmpp:sce:1"
NS_MUC = "http://jabber.org/protocol/muc"
NS_MUC_USER = NS_MUC + "#user"
V2 = False  # --omemo2: twomemo instead of oldmemo

try:
    import twomemo
    import twomemo.etree
    NS2 = twomemo.twomemo.NAMESPACE
except ImportError:  # only --omemo2 needs it
    twomemo = None
    NS2 = "urn:xmpp:omemo:2"


def envelope(body, sender):
    """XEP-0420's <envelope/> around BODY, as OMEMO:2 sends it."""
    env = ET.Element("{%s}envelope" % NS_SCE)
    content = ET.SubElement(env, "{%s}content" % NS_SCE)
    ET.SubElement(content, "{jabber:client}body").text = body
    ET.SubElement(env, "{%s}rpad" % NS_SCE).text = \
        secrets.token_urlsafe(secrets.randbelow(20) + 1)
    ET.SubElement(env, "{%s}from" % NS_SCE, jid=sender)
    return ET.tostring(env)


def open_envelope(data, sender):
    """The body of an OMEMO:2 envelope from SENDER (ValueError if it is
    not one, or names another sender)."""
    env = ET.fromstring(data.decode())
    if env.tag != "{%s}envelope" % NS_SCE:
        raise ValueError("not an envelope: %s" % env.tag)
    frm = env.find("{%s}from" % NS_SCE)
    if frm is None or frm.get("jid", "").split("/")[0] != sender:
        raise ValueError("envelope from %s, not %s"
                         % (None if frm is None else frm.get("jid"), sender))
    body = env.find("{%s}content/{jabber:client}body" % NS_SCE)
    return None if body is None else (body.text or "")


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

    # OMEMO 0.3: a node per bundle; OMEMO:2: one node, an item per device.
    @classmethod
    async def _upload_bundle(cls, bundle):
        if V2:
            await cls.bot.publish(NS2 + ":bundles",
                                  twomemo.etree.serialize_bundle(bundle),
                                  item_id=str(bundle.device_id), many=True)
            return
        await cls.bot.publish("%s.bundles:%d" % (NS, bundle.device_id),
                              oldmemo.etree.serialize_bundle(bundle))

    @classmethod
    async def _download_bundle(cls, namespace, bare_jid, device_id):
        if V2:
            item = await cls.bot.fetch(bare_jid, NS2 + ":bundles",
                                       str(device_id))
            ns, parse = NS2, twomemo.etree.parse_bundle
        else:
            item = await cls.bot.fetch(bare_jid,
                                       "%s.bundles:%d" % (NS, device_id))
            ns, parse = NS, oldmemo.etree.parse_bundle
        bundle = item.find("{%s}bundle" % ns) if item is not None else None
        if bundle is None:
            raise omemo.BundleDownloadFailed("no bundle of %s/%d"
                                             % (bare_jid, device_id))
        return parse(bundle, bare_jid, device_id)

    @classmethod
    async def _delete_bundle(cls, namespace, device_id):
        pass

    @classmethod
    async def _upload_device_list(cls, namespace, device_list):
        if V2:
            await cls.bot.publish(
                NS2 + ":devices",
                twomemo.etree.serialize_device_list(device_list))
            return
        await cls.bot.publish("%s.devicelist" % NS,
                              oldmemo.etree.serialize_device_list(device_list))

    @classmethod
    async def _download_device_list(cls, namespace, bare_jid):
        if V2:
            item = await cls.bot.fetch(bare_jid, NS2 + ":devices")
            lst = item.find("{%s}devices" % NS2) if item is not None else None
            return ({} if lst is None
                    else twomemo.etree.parse_device_list(lst))
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
            botlib.MatchXPath("{jabber:client}message/{%s}encrypted"
                              % (NS2 if V2 else NS)),
            self._encrypted))
        self.register_handler(botlib.Callback(
            "room presences",
            botlib.MatchXPath("{jabber:client}presence/{%s}x" % NS_MUC_USER),
            self._room_presence))
        self.rooms = {}  # room -> our nick
        self.real_jids = {}  # room/nick -> real bare JID

    async def publish(self, node, payload, item_id="current", many=False):
        """Publishes PAYLOAD, readable by anyone; MANY: the node keeps
        every item (a server that does not take that as a publish option,
        ejabberd 23.01, gets it without)."""
        iq = self.Iq(stype="set")
        pubsub = ET.SubElement(iq.xml, "{%s}pubsub" % NS_PUBSUB)
        publish = ET.SubElement(pubsub, "{%s}publish" % NS_PUBSUB, node=node)
        item = ET.SubElement(publish, "{%s}item" % NS_PUBSUB, id=item_id)
        item.append(payload)
        options = ET.SubElement(pubsub, "{%s}publish-options" % NS_PUBSUB)
        form = ET.SubElement(options, "{jabber:x:data}x", type="submit")
        fields = [("FORM_TYPE", NS_PUBSUB + "#publish-options"),
                  ("pubsub#access_model", "open")]
        if many:
            fields.append(("pubsub#max_items", "max"))
        for var, value in fields:
            f = ET.SubElement(form, "{jabber:x:data}field", var=var)
            ET.SubElement(f, "{jabber:x:data}value").text = value
        try:
            await iq.send()
        except IqError:
            if not many:
                raise
            await self.publish(node, payload, item_id)

    async def fetch(self, jid, node, item_id=None):
        """The first item of NODE at JID (or its item ITEM_ID), or None
        when there is none."""
        iq = self.Iq(stype="get", sto=jid)
        pubsub = ET.SubElement(iq.xml, "{%s}pubsub" % NS_PUBSUB)
        items = ET.SubElement(pubsub, "{%s}items" % NS_PUBSUB, node=node)
        if item_id is not None:
            ET.SubElement(items, "{%s}item" % NS_PUBSUB, id=item_id)
        try:
            result = await iq.send()
        except IqError as e:
            if e.condition == "item-not-found":
                return None
            raise
        return result.xml.find(".//{%s}item" % NS_PUBSUB)

    def omemo_stanza(self, message, bare_jid, body):
        """The chat <message/> carrying MESSAGE (python-omemo's), not sent."""
        msg = self.make_message(mto=bare_jid, mtype="chat")
        if body is not None:
            msg["body"] = "I sent you an OMEMO encrypted message."
        if V2:
            msg.append(twomemo.etree.serialize_message(message))
            ET.SubElement(msg.xml, "{urn:xmpp:hints}store")
        else:
            msg.append(oldmemo.etree.serialize_message(message))
        return msg

    def send_omemo(self, message, bare_jid, body):
        self.omemo_stanza(message, bare_jid, body).send()

    async def on_ready(self):
        Manager.bot = self
        storage = MemoryStorage()
        backend = (twomemo.Twomemo(storage) if V2
                   else oldmemo.Oldmemo(storage))
        self.manager = await Manager.create(
            [backend], storage, self.boundjid.bare, None, "blind")
        own, _ = await self.manager.get_own_device_information()
        botlib.emit("DEVICE", own.device_id)
        botlib.emit("FINGERPRINT", " ".join(
            omemo.SessionManager.format_identity_key(own.identity_key)))
        self.loop.add_reader(sys.stdin.fileno(), self._stdin)

    def _room_presence(self, pres):
        occupant = str(pres["from"])
        item = pres.xml.find("{%s}x/{%s}item" % (NS_MUC_USER, NS_MUC_USER))
        if pres["type"] == "unavailable":
            self.real_jids.pop(occupant, None)
        elif item is not None and item.get("jid"):
            self.real_jids[occupant] = item.get("jid").split("/")[0]
        codes = [s.get("code") for s in pres.xml.findall(
            "{%s}x/{%s}status" % (NS_MUC_USER, NS_MUC_USER))]
        if "110" in codes and pres["type"] != "unavailable":
            botlib.emit("JOINED", pres["from"].bare)

    def _encrypted(self, msg):
        self.loop.create_task(self._decrypt(msg))

    async def _decrypt(self, msg):
        sender = msg["from"].bare
        shown = sender
        if msg["type"] == "groupchat":
            shown = str(msg["from"])
            if self.rooms.get(msg["from"].bare) == msg["from"].resource:
                return  # ours back: no key to ourselves
            sender = self.real_jids.get(shown)
            if sender is None:
                botlib.emit("UNDECRYPTABLE", shown,
                            botlib.jstr("no real JID for this occupant"))
                return
        try:
            if V2:
                message = twomemo.etree.parse_message(
                    msg.xml.find("{%s}encrypted" % NS2), sender)
            else:
                message = await oldmemo.etree.parse_message(
                    msg.xml.find("{%s}encrypted" % NS), sender,
                    self.boundjid.bare, self.manager)
            plain, _, _ = await self.manager.decrypt(message)
            if plain is not None and V2:
                plain = open_envelope(plain, sender)
                if plain is None:
                    return  # an envelope without a body
            elif plain is not None:
                plain = plain.decode()
        except Exception as e:  # every failure is a line for the test
            botlib.emit("UNDECRYPTABLE", shown,
                        botlib.jstr("%s: %s" % (type(e).__name__, e)))
            return
        if plain is not None:
            botlib.emit("DECRYPTED", shown, botlib.jstr(plain))
        else:  # a key transport or a heartbeat: keys, no payload
            botlib.emit("EMPTY", shown)

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
        if "raw" in cmd:
            self.send_raw(cmd["raw"])
            return
        if "join" in cmd:
            self.rooms[cmd["join"]] = cmd["nick"]
            pres = self.make_presence(pto="%s/%s" % (cmd["join"],
                                                     cmd["nick"]))
            x = ET.SubElement(pres.xml, "{%s}x" % NS_MUC)
            ET.SubElement(x, "{%s}history" % NS_MUC, maxstanzas="0")
            pres.send()
            return
        if "room" in cmd:
            await self.room_message(cmd)
            return
        to = cmd["to"]
        ns = NS2 if V2 else NS
        plain = (envelope(cmd["body"], cmd.get("from", self.boundjid.bare))
                 if V2 else cmd["body"].encode())
        try:
            await self.manager.refresh_device_list(ns, to)
            messages, errors = await self.manager.encrypt(
                frozenset([to]), {ns: plain})
        except Exception as e:
            botlib.emit("FAILED", to, botlib.jstr("%s: %s"
                                                  % (type(e).__name__, e)))
            return
        for message in messages:
            self.send_omemo(message, to, cmd["body"])
            botlib.emit("ENCRYPTED", to, len(message.keys))


    async def room_message(self, cmd):
        """An OMEMO 0.3 groupchat message to cmd["room"], encrypted to
        the devices of cmd["members"] (and ours)."""
        room, members = cmd["room"], frozenset(cmd["members"])
        try:
            for jid in members:
                await self.manager.refresh_device_list(NS, jid)
            messages, errors = await self.manager.encrypt(
                members, {NS: cmd["body"].encode()})
        except Exception as e:
            botlib.emit("FAILED", room, botlib.jstr("%s: %s"
                                                    % (type(e).__name__, e)))
            return
        for message in messages:
            msg = self.make_message(mto=room, mtype="groupchat")
            msg["body"] = "I sent you an OMEMO encrypted message."
            msg.append(oldmemo.etree.serialize_message(message))
            msg.send()
            botlib.emit("ENCRYPTED", room, len(message.keys))


def main():
    global V2
    p = botlib.arg_parser("OMEMO peer (python-omemo) for natter tests")
    p.add_argument("--omemo2", action="store_true",
                   help="OMEMO:2 (twomemo) instead of OMEMO 0.3")
    args = p.parse_args()
    V2 = args.omemo2
    botlib.main(OmemoBot, args)


if __name__ == "__main__":
    main()
