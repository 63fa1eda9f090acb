#!/usr/bin/python3
# Ad-hoc commands (XEP-0050): a bot's command of two stages run from its
# form window (next, prev, complete, its note shown), and the server's
# administration commands for an admin account: adding a user who can
# then log in, an announcement, the users online.
import re

from natter_test import tap
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import online_natter


def test_a_command_of_two_stages():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "steps")
    n, local, jid = online_natter(p, contacts=[b_local])
    bot = Bot.sender(p, b_local, b_pw, commands=True, extra_args=["--adhoc"],
                     resource="bot")
    full = b_jid + "/bot"
    with n, bot:
        n.send("/cmd list %s" % full)
        n.expect(r"-- Commands of %s \(/cmd run %s NODE\):$"
                 % (re.escape(full), re.escape(full)))
        n.expect(r"--   steps  Two steps$")
        n.send("/cmd run %s steps" % full)
        form = "%s/cmd:steps" % local
        n.expect_buffer(form, r"-- Form: command steps of %s \(\"Who are "
                        r"you\?\"\)$" % re.escape(full))
        n.expect_buffer(form, r"\* name = ")
        # Required first.
        n.send("/form next")
        n.expect_buffer(form, r"!! .*name")
        n.send("/form set name Ada")
        n.send("/form next")
        bot.expect_line(r"^ADHOC colour Ada$")
        n.expect_buffer(form, r"-- Form: command steps of .*Pick a colour")
        n.expect_buffer(form, r"-- This command has stages: /form next, "
                        r"/form complete, /form prev")
        # Back, and forward again with another name.
        n.send("/form prev")
        bot.expect_line(r"^ADHOC name$")
        n.expect_buffer(form, r"Who are you")
        n.send("/form set name Grace")
        n.send("/form submit")  # the stage's default action: next
        bot.expect_line(r"^ADHOC colour Grace$")
        n.expect_buffer(form, r"Pick a colour")
        n.send("/form set colour blue")
        n.send("/form complete")
        bot.expect_line(r"^ADHOC done Grace blue$")
        n.expect(r"-- Hello Grace, you picked blue\.$")
        n.expect(r"-- Command steps of %s: done\.$" % re.escape(full))
        # The form window went with it.
        n.send("/form")
        n.expect(r"!! /form works in a form window")
        # Nothing there: said so.
        n.send("/cmd run %s nosuch" % full)
        n.expect(r"!! Command nosuch of %s failed: item-not-found"
                 % re.escape(full))


@tap.both_servers
def test_server_administration_as_admin():
    """XEP-0133 as Prosody and ejabberd offer it: add a user, announce to
    those online, list them."""
    with tap.new_server(admins=["boss"]) as p:
        p.create_user("boss", "boss-pw")
        p.create_user("crew", "crew-pw")
        n = Headless(["-a", "boss"],
                     accounts={"boss": account_settings(p, "boss", "boss-pw")})
        crew = Headless(["-a", "crew"],
                        accounts={"crew": account_settings(p, "crew",
                                                           "crew-pw")})
        admin = "http://jabber.org/protocol/admin#"
        with n, crew:
            n.expect_buffer("boss", r"Connected as boss@")
            crew.expect_buffer("crew", r"Connected as crew@")
            n.send("/cmd list")
            n.expect(r"-- Commands of %s " % re.escape(p.domain))
            n.expect(r"--   %sadd-user" % re.escape(admin))

            n.send("/cmd run %s %sadd-user" % (p.domain, admin))
            form = "boss/cmd:%sadd-user" % admin
            n.expect_buffer(form, r"accountjid = ")
            n.send("/form set accountjid newbie@%s" % p.domain)
            n.send("/form set password s3cret-newbie")
            n.send("/form set password-verify s3cret-newbie")
            n.send("/form submit")
            n.expect(r"-- Command %sadd-user of %s: done\.$"
                     % (re.escape(admin), re.escape(p.domain)))
            # The new user exists: it can log in.
            newbie = Headless(["-a", "newbie"], accounts={
                "newbie": account_settings(p, "newbie", "s3cret-newbie")})
            with newbie:
                newbie.expect_buffer("newbie", r"Connected as newbie@")

            # An announcement reaches the users online. The servers name
            # its text field differently: read off the form, as a user
            # would.
            n.send("/cmd run %s %sannounce" % (p.domain, admin))
            form = "boss/cmd:%sannounce" % admin
            field = n.expect_buffer(form, r"--   [ *] (announcement|body) = "
                                    ).group(1)
            n.send("/form set subject Maintenance")
            n.send("/form set %s Back in five minutes." % field)
            n.send("/form submit")
            n.expect(r"-- Command %sannounce of %s: done\.$"
                     % (re.escape(admin), re.escape(p.domain)))
            # Its subject with it.
            crew.expect(r"^\[crew\] <%s> Subject: Maintenance$"
                        % re.escape(p.domain))
            crew.expect(r"^\[crew\] <%s> Back in five minutes\.$"
                        % re.escape(p.domain))

            # The users online, as a result form.
            n.send("/cmd run %s %sget-online-users-list"
                   % (p.domain, admin))
            # Prosody asks how many first, ejabberd answers at once.
            form = "boss/cmd:%sget-online-users-list" % admin
            users = r"^\[boss\] --   [^:]+: .*crew@%s" % re.escape(p.domain)
            if n.expect(r"^\[%s\] .*max_items = |%s"
                        % (re.escape(form), users)).group(0).startswith(
                            "[" + form):
                n.send("/form set max_items 25")
                n.send("/form submit")
                n.expect(users)
            n.expect(r"-- Command %sget-online-users-list of %s: done\.$"
                     % (re.escape(admin), re.escape(p.domain)))


if __name__ == "__main__":
    tap.main(globals())
