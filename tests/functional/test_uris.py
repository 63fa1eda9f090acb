#!/usr/bin/python3
# xmpp: links (RFC 5122, XEP-0147) where people paste them: /join joins a
# room from its link (with its password), /msg writes to a contact with
# the link's body, /sub asks for a subscription; a link asking for
# something else is refused with a reason.
import re

from natter_test import tap
from natter_test.bots import Bot

from fixtures import online_natter
from test_muc import bot_join, muc_bot, room_jid


def test_links_join_message_and_subscribe():
    p = tap.shared_prosody()
    room = room_jid(p, "linked")
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "linker")
    with n, bot:
        bot_join(bot, room, "owner")
        n.send("/join xmpp:%s?join" % room)
        n.expect_buffer("%s/%s" % (local, room), r"-- You joined %s"
                        % re.escape(room))
        n.send("/msg xmpp:%s?message;body=hello%%20from%%20a%%20link"
               % bot_jid)
        bot.expect_line(r'^RECV %s/\S+ "hello from a link"$' % re.escape(jid))
        # Text typed after the link wins over its body.
        n.send("/msg xmpp:%s?message;body=unused typed instead" % bot_jid)
        bot.expect_line(r'^RECV %s/\S+ "typed instead"$' % re.escape(jid))
        n.send("/sub xmpp:%s?subscribe" % bot_jid)
        n.expect(r"-- %s: asked to let you see their presence\.$"
                 % re.escape(bot_jid))
        bot.expect_line(r"^PRESENCE %s subscribe$" % re.escape(jid))
        n.send("/join xmpp:%s?message" % room)
        n.expect(r"!! xmpp:%s\?message asks to message, not to join a room"
                 % re.escape(room))
        n.send("/msg xmpp:@nowhere")
        n.expect(r"!! 'xmpp:@nowhere' is not a usable xmpp: address")
        assert not bot.lines_matching(r"^RECV .*unused")


if __name__ == "__main__":
    tap.main(globals())
