#!/usr/bin/python3
# Echo bot for natter's tests and demo: answers every chat/normal message that
# has a body with PREFIX + body, to the sender's full JID, with the same type.
# Prints READY / RECV lines on stdout (see botlib.py).
import botlib


class EchoBot(botlib.TestBot):
    def __init__(self, args):
        super().__init__(args)
        self.greeted = set()

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


def main():
    p = botlib.arg_parser("XMPP echo bot for natter tests")
    p.add_argument("--prefix", default="echo: ",
                   help='text put before the echoed body (default "echo: ")')
    p.add_argument("--greeting", default=None,
                   help="first answer to each sender is GREETING + "
                        "' You said: ' + body")
    botlib.main(EchoBot, p.parse_args())


if __name__ == "__main__":
    main()
