#!/usr/bin/python3
# Echo bot for natter's tests and demo: answers every chat/normal message that
# has a body with PREFIX + body, to the sender's full JID, with the same type.
# Prints READY / RECV lines on stdout (see botlib.py). With --receipts it
# answers delivery receipt requests (XEP-0184), asks for receipts on its
# echoes and prints "RECEIPT <from> <id>" for each receipt it gets; with
# --markers it marks each markable message displayed (XEP-0333) after
# echoing it.
import botlib
from slixmpp.xmlstream import ET

NS_RECEIPTS = "urn:xmpp:receipts"
NS_MARKERS = "urn:xmpp:chat-markers:0"


class EchoBot(botlib.TestBot):
    def __init__(self, args):
        super().__init__(args)
        self.greeted = set()
        if args.receipts:
            self.register_plugin("xep_0184")
            self["xep_0184"].auto_ack = True
            self["xep_0184"].auto_request = True
            self.add_event_handler("receipt_received", self._receipt)

    def _receipt(self, msg):
        botlib.emit("RECEIPT", msg["from"], msg["receipt"])

    def _displayed(self, msg):
        if msg.xml.find("{%s}markable" % NS_MARKERS) is None:
            return
        marker = self.make_message(mto=msg["from"], mtype=msg["type"])
        shown = ET.Element("{%s}displayed" % NS_MARKERS)
        shown.set("id", msg["id"])
        marker.append(shown)
        marker.send()

    def on_message(self, msg):
        if msg["type"] not in ("chat", "normal"):
            return
        if msg["from"].bare == self.boundjid.bare:
            return  # never answer ourselves (carbons, loops)
        body = msg["body"]
        reply = self.args.prefix + body
        sender = msg["from"].bare
        if self.args.greeting is not None and sender not in self.greeted:
            # The demo's friendly first answer to each person.
            self.greeted.add(sender)
            reply = "%s You said: %s" % (self.args.greeting, body)
        self.send_message(mto=msg["from"], mbody=reply, mtype=msg["type"])
        if self.args.markers:
            self._displayed(msg)


def main():
    p = botlib.arg_parser("XMPP echo bot for natter tests")
    p.add_argument("--prefix", default="echo: ",
                   help='text put before the echoed body (default "echo: ")')
    p.add_argument("--greeting", default=None,
                   help="first answer to each sender is GREETING + "
                        "' You said: ' + body")
    p.add_argument("--receipts", action="store_true",
                   help="answer and report delivery receipts (XEP-0184)")
    p.add_argument("--markers", action="store_true",
                   help="mark each markable message displayed (XEP-0333)")
    botlib.main(EchoBot, p.parse_args())


if __name__ == "__main__":
    main()
