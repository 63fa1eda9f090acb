#!/usr/bin/python3
# Entity capabilities (XEP-0115) on the real server: natter's presence
# carries a <c/> whose ver a client can verify from natter's disco#info;
# natter asks a contact's features once and keeps them in a cache that
# survives a restart; a forged caps answer is reported and never cached.
import base64
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

DISCO = "http://jabber.org/protocol/disco#info"
DATA = "jabber:x:data"


def ver_of(query):
    """XEP-0115 section 5.1, written here independently of natter."""
    ids = sorted((i.get("category"), i.get("type"),
                  i.get("{http://www.w3.org/XML/1998/namespace}lang") or "",
                  i.get("name") or "")
                 for i in query.findall("{%s}identity" % DISCO))
    s = "".join("%s/%s/%s/%s<" % i for i in ids)
    s += "".join(f + "<" for f in sorted(
        f.get("var") for f in query.findall("{%s}feature" % DISCO)))
    forms = []
    for x in query.findall("{%s}x" % DATA):
        fields = {f.get("var"): [v.text or "" for v in
                                 f.findall("{%s}value" % DATA)]
                  for f in x.findall("{%s}field" % DATA)}
        form_type = fields.pop("FORM_TYPE")[0]
        forms.append((form_type, fields))
    for form_type, fields in sorted(forms):
        s += form_type + "<"
        for var in sorted(fields):
            s += var + "<" + "".join(v + "<" for v in sorted(fields[var]))
    return base64.b64encode(hashlib.sha1(s.encode()).digest()).decode()


def setup(p):
    b_local, b_jid, b_pw = tap.new_account(p, "probe")
    local, jid, pw = tap.new_account(p, "alice")
    p.make_mutual(local, b_local)
    bot = Bot.probe(p, b_local, b_pw, resource="probe")
    n = Headless(["-a", local], accounts={local: account_settings(
        p, local, pw, resource="nat")})
    return n, local, jid, bot, b_jid + "/probe"


def sync_after_presence(n, local, bot, bot_full, tag):
    """The bot sends its presence again, then a message; once natter shows
    the message it has handled the presence. A ping then comes back only
    after everything natter sent before it reached the bot, and once the
    bot has printed the ping, it has printed what came before it (its
    output is read apart from natter's: the pong alone may come first)."""
    bot.send({"presence": True})
    bot.send({"message": bot_full.split("/")[0].replace(
        bot_full.split("@")[0], local), "body": tag})
    n.expect_buffer("%s/%s" % (local, bot_full.split("/")[0]),
                    r"<\S+> %s$" % tag)
    n.send("/ping %s" % bot_full)
    n.expect_buffer(local, r"-- Pong from %s in " % re.escape(bot_full))
    bot.expect_line(r"^IQ-GET \S+ urn:xmpp:ping -$")


def disco_queries(bot, jid):
    return bot.lines_matching(r"^IQ-GET %s/\S+ %s \S+#\S+$"
                              % (re.escape(jid), re.escape(DISCO)))


def test_presence_caps_verify_against_disco_info():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = setup(p)
    with bot, n:
        m = bot.expect_line(r"^CAPS %s/nat sha-1 (\S+) (\S+)$"
                            % re.escape(jid))
        node, ver = m.groups()
        bot.send_json({"iq": "<query xmlns='%s' node='%s#%s'/>"
                       % (DISCO, node, ver), "to": jid + "/nat", "id": "c1"})
        a = bot.expect_line(r"^ANSWER c1 (\S+) (.*)$")
        assert a.group(1) == "result", a.group(2)
        iq = ET.fromstring(json.loads(a.group(2)))
        query = iq.find("{%s}query" % DISCO)
        assert query.get("node") == "%s#%s" % (node, ver)
        assert ver_of(query) == ver, (ver_of(query), ver)
        # A node that is not ours is refused.
        bot.send_json({"iq": "<query xmlns='%s' node='%s#other'/>"
                       % (DISCO, node), "to": jid + "/nat", "id": "c2"})
        assert bot.expect_line(r"^ANSWER c2 (\S+) ").group(1) == "error"


def test_caps_cache_survives_a_restart():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = setup(p)
    bot_bare = bot_full.split("/")[0]
    with bot, n:
        n.expect_buffer(local, r"Connected as ")
        sync_after_presence(n, local, bot, bot_full, "first")
        # natter asked once for the probe's features, and keeps them.
        assert len(disco_queries(bot, jid)) == 1, bot.lines_matching("IQ-GET")
        # The bot's answer to it may come after its pong (slixmpp answers
        # disco asynchronously): wait for it to be in the cache.
        cache = os.path.join(n.data_dir, "caps.cache")

        def cached():
            if not os.path.exists(cache):
                return False
            with open(cache) as f:
                return "http://jabber.org/protocol/disco#info" in f.read()
        util.wait_until(cached, 10, "the probe's features in caps.cache")
        n.send("/caps %s" % bot_bare)
        n.expect_buffer(local, r"-- %s \(caps \S+, cached\): client/"
                        % re.escape(bot_full))
        n.expect_buffer(local, r"--   urn:xmpp:ping$")

        n.stop()
        n.start()
        n.expect_buffer(local, r"Connected as ")
        sync_after_presence(n, local, bot, bot_full, "second")
        # Known from the cache: not asked again.
        assert len(disco_queries(bot, jid)) == 1, bot.lines_matching("IQ-GET")
        n.send("/caps %s" % bot_full)
        n.expect_buffer(local, r"-- %s \(caps \S+, cached\): client/"
                        % re.escape(bot_full))


def test_forged_caps_are_reported_and_not_cached():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "forger")
    local, jid, pw = tap.new_account(p, "alice")
    p.make_mutual(local, b_local)
    bot = Bot.probe(p, b_local, b_pw, resource="probe", forge=True)
    bot_full = b_jid + "/probe"
    n = Headless(["-a", local], accounts={local: account_settings(
        p, local, pw, resource="nat")})
    with bot, n:
        # Once the bot sees natter online, natter has its ordinary presence.
        bot.expect_line(r"^PRESENCE %s/nat available$" % re.escape(jid))
        forged = "Zm9yZ2VkIGJ5IGEgaG9zdGlsZSBib3Q="
        bot.send({"raw": "<presence to='%s/nat'><c xmlns='http://jabber.org/"
                         "protocol/caps' hash='sha-1' node='urn:forger' "
                         "ver='%s'/></presence>" % (jid, forged)})
        n.expect_buffer(local, r"!! Ignored the capabilities of %s: its "
                        r"features do not match the hash it announced \(not "
                        r"cached\)\.$" % re.escape(bot_full))
        n.send("/caps %s" % bot_full)
        n.expect_buffer(local, r"-- %s: capabilities %s not known yet\."
                        % (re.escape(bot_full), re.escape(forged)))
        cache = os.path.join(n.data_dir, "caps.cache")
        if os.path.exists(cache):
            with open(cache) as f:
                assert forged not in f.read()
        # Malformed caps: said so, and natter goes on.
        bot.send({"raw": "<presence to='%s/nat'><c xmlns='http://jabber.org/"
                         "protocol/caps' hash='sha-1' ver='x'/></presence>"
                         % jid})
        n.expect_buffer(local, r"!! Ignored malformed capabilities from %s "
                        r"\(no node\)" % re.escape(bot_full))


def ver_from(identities, features):
    """XEP-0115's ver of IDENTITIES ((category, type, lang, name)) and
    FEATURES, without forms."""
    s = "".join("%s/%s/%s/%s<" % i for i in sorted(identities))
    s += "".join(f + "<" for f in sorted(features))
    return base64.b64encode(hashlib.sha1(s.encode()).digest()).decode()


def cache_groups(path):
    with open(path) as f:
        return re.findall(r"^\[(.+)\]$", f.read(), re.M)


def test_the_caps_cache_is_bounded_and_checked():
    p = tap.shared_prosody()
    h_local, h_jid, h_pw = tap.new_account(p, "hoarder")
    local, jid, pw = tap.new_account(p, "alice")
    p.make_mutual(local, h_local)
    n = Headless(["-a", local], accounts={local: account_settings(
        p, local, pw, resource="nat")})
    # A cache from before: 600 good entries (oldest first) and two whose
    # contents do not hash to their name.
    os.makedirs(n.data_dir, exist_ok=True)
    cache = os.path.join(n.data_dir, "caps.cache")
    good = []
    with open(cache, "w") as f:
        for i in range(600):
            ids = [("client", "pc", "", "old%d" % i)]
            feats = ["urn:old:%d" % i, "urn:common"]
            ver = ver_from(ids, feats)
            good.append(ver)
            f.write("[%s]\nidentities=client/pc//old%d;\n"
                    "features=urn:old:%d;urn:common;\n\n" % (ver, i, i))
        f.write("[forged1=]\nidentities=client/pc//x;\nfeatures=a;\n\n")
        f.write("[%s]\nidentities=client/pc//y;\nfeatures=b;\n\n"
                % good[0])
    bot = Bot.sender(p, h_local, h_pw, commands=True,
                     extra_args=["--hold-iqs"], resource="hoard")
    with bot, n:
        n.expect_buffer(local, r"Connected as ")
        bot.expect_line(r"^PRESENCE %s/nat available$" % re.escape(jid))
        # A contact whose answer hashes right but is huge: 1,000 features.
        ids = [("client", "bot", "", "hoarder")]
        feats = ["urn:xmpp:hoard:%05d:%s" % (i, "x" * 40)
                 for i in range(1000)]
        ver = ver_from(ids, feats)
        bot.send({"raw": "<presence><c xmlns='http://jabber.org/protocol/"
                  "caps' hash='sha-1' node='urn:hoard' ver='%s'/></presence>"
                  % ver})
        m = bot.expect_line(r"^IQ %s/nat (\S+) get "
                            r"http://jabber.org/protocol/disco#info$"
                            % re.escape(jid))
        bot.send({"raw": "<iq type='result' id='%s' to='%s/nat'><query "
                  "xmlns='http://jabber.org/protocol/disco#info' "
                  "node='urn:hoard#%s'><identity category='client' "
                  "type='bot' name='hoarder'/>%s</query></iq>"
                  % (m.group(1), jid, ver,
                     "".join("<feature var='%s'/>" % f for f in feats))})
        n.expect_buffer(local, r"!! The capabilities of %s/hoard are too "
                        r"large to keep \(1000 features" % re.escape(h_jid))
        n.send("/quit")
        assert n.wait_exit(10) == 0
        groups = cache_groups(cache)
        # Within its bounds, the newest kept; nothing that fails its hash.
        assert len(groups) == 500, len(groups)
        assert groups == good[100:], (groups[:3], good[100:103])
        assert ver not in groups
        assert os.path.getsize(cache) < 1024 * 1024


tap.main(globals())
