#!/usr/bin/python3
# The peer of bench/omemo_bench.py: tests/bots/omemo_bot.py (python-omemo with
# oldmemo, an OMEMO 0.3 implementation that is not natter's) that can also
# build a whole burst before sending it, so the burst reaches the client
# as fast as the server routes it, not at the pace of Python's encryption.
#
# stdin, besides omemo_bot.py's commands, one JSON object a line:
#   {"prepare": JID, "prefix": P, "count": N, "plain": BOOL}
#       builds N chat messages to JID with bodies P-1 ... P-N, encrypted
#       with OMEMO 0.3 (OMEMO:2 with --omemo2, twomemo) unless plain;
#       prints "PREPARED N"
#   {"go": true}  sends what was prepared; prints "SENT-ALL N", then
#                 "ROUTED" once the server has routed all of it
# and it prints "RECV <from> <json body>" for a plain message received
# (botlib) and "DECRYPTED ..." for an encrypted one (omemo_bot.py).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "bots"))

import botlib  # noqa: E402
import omemo_bot  # noqa: E402
from slixmpp.xmlstream import ET  # noqa: E402


class BurstBot(omemo_bot.OmemoBot):
    def __init__(self, args):
        super().__init__(args)
        self.prepared = []

    async def _command(self, cmd):
        if "prepare" in cmd:
            await self._prepare(cmd["prepare"], cmd["prefix"], cmd["count"],
                                cmd.get("plain", False))
        elif cmd.get("go"):
            for msg in self.prepared:
                msg.send()
            botlib.emit("SENT-ALL", len(self.prepared))
            self.prepared = []
            # The server handles a stream's stanzas in order: once it has
            # answered this ping, it has routed the whole burst.
            ping = self.Iq(stype="get", sto=self.boundjid.domain)
            ET.SubElement(ping.xml, "{urn:xmpp:ping}ping")
            await ping.send()
            botlib.emit("ROUTED")
        else:
            await super()._command(cmd)

    async def _prepare(self, to, prefix, count, plain):
        v2 = omemo_bot.V2
        ns = omemo_bot.NS2 if v2 else omemo_bot.NS
        if not plain:
            await self.manager.refresh_device_list(ns, to)
        for i in range(1, count + 1):
            body = "%s-%d" % (prefix, i)
            if plain:
                msg = self.make_message(mto=to, mtype="chat")
                msg["body"] = body
            else:
                content = (omemo_bot.envelope(body, self.boundjid.bare)
                           if v2 else body.encode())
                messages, _ = await self.manager.encrypt(
                    frozenset([to]), {ns: content})
                msg = self.omemo_stanza(next(iter(messages)), to, body)
            self.prepared.append(msg)
        botlib.emit("PREPARED", len(self.prepared))


def main():
    p = botlib.arg_parser("OMEMO burst peer for bench/omemo_bench.py")
    p.add_argument("--omemo2", action="store_true",
                   help="OMEMO:2 (twomemo) instead of OMEMO 0.3")
    args = p.parse_args()
    omemo_bot.V2 = args.omemo2
    botlib.main(BurstBot, args)


if __name__ == "__main__":
    main()
