#!/usr/bin/python3
# File bot for natter's tests: for every message carrying out-of-band data
# (XEP-0066, jabber:x:oob) it prints "OOB <from> <json url>", fetches the
# URL over HTTP (trusting the test CA) and prints
# "FETCHED <sha256> <length>" or "FETCH-FAILED <json reason>". With
# --join ROOM it is in that room (nick filebot) before READY. Other lines
# as botlib.py says.
import asyncio
import hashlib
import ssl
import urllib.request

import botlib

NS_OOB = "jabber:x:oob"


class FileBot(botlib.TestBot):
    def __init__(self, args):
        super().__init__(args)
        if args.join:
            self.register_plugin("xep_0045")

    async def on_ready(self):
        if self.args.join:
            await self["xep_0045"].join_muc_wait(self.args.join, "filebot",
                                                 maxstanzas=0, timeout=10)

    def on_message(self, msg):
        x = msg.xml.find("{%s}x" % NS_OOB)
        url = x.find("{%s}url" % NS_OOB) if x is not None else None
        if url is None or not url.text:
            return
        botlib.emit("OOB", msg["from"], botlib.jstr(url.text))
        asyncio.ensure_future(self._fetch(url.text))

    async def _fetch(self, url):
        context = ssl.create_default_context(cafile=self.args.cafile)

        def get():
            with urllib.request.urlopen(url, context=context,
                                        timeout=30) as r:
                return r.read()
        try:
            data = await self.loop.run_in_executor(None, get)
        except Exception as exc:
            botlib.emit("FETCH-FAILED", botlib.jstr(str(exc)))
            return
        botlib.emit("FETCHED", hashlib.sha256(data).hexdigest(), len(data))


def main():
    p = botlib.arg_parser("XMPP bot that fetches the files sent to it")
    p.add_argument("--join", default=None, help="a room to be in")
    botlib.main(FileBot, p.parse_args())


if __name__ == "__main__":
    main()
