#!/usr/bin/python3
# Publish-subscribe (/pubsub) against the server's pubsub service: a
# sensor (a bot of ours speaking raw XEP-0060) publishes readings; natter
# lists the nodes, reads the items, follows the node and sees new readings
# arrive in the node's window, then stops following. natter publishes text
# and XML itself, creates and deletes a node, and bad requests get clear
# errors. A hook runs for each new item (the pubsub-item event).
import re

from natter_test import tap, util
from natter_test.bots import Bot

from fixtures import natter_as
from test_hooks import Recorder

PUBSUB = "http://jabber.org/protocol/pubsub"
# Prosody's pubsub service lets only the server's admins create nodes
# (ejabberd lets anyone): the accounts that create one are admins.
OWNERS = ["owner1", "owner2"]


def server_and_owner(owner):
    """The file's server and the admin account OWNER (created), as
    (server, localpart, jid, password)."""
    p = tap.shared_server(admins=OWNERS)
    pw = owner + "-pw"
    p.create_user(owner, pw)
    return p, owner, "%s@%s" % (owner, p.domain), pw


def iq(bot, iq_id, to, payload):
    """BOT sends an IQ set to TO and must get a result."""
    bot.send({"raw": "<iq type='set' id='%s' to='%s'><pubsub xmlns='%s'>%s"
                     "</pubsub></iq>" % (iq_id, to, PUBSUB, payload)})
    bot.expect_line(r"^IQ %s result$" % re.escape(iq_id))


def reading(node, item_id, value):
    return ("<publish node='%s'><item id='%s'><reading xmlns='urn:example:"
            "sensor' unit='C'>%s</reading></item></publish>"
            % (node, item_id, value))


@tap.both_servers
def test_a_sensor_node_read_followed_and_left():
    p, s_local, s_jid, s_pw = server_and_owner("owner1")
    ps = p.pubsub_domain
    local, jid, pw = tap.new_account(p, "alice")
    node = "kitchen"
    n = natter_as(p, local, pw)
    view = "%s/pubsub:%s/%s" % (local, ps, node)
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sensor:
        iq(sensor, "c1", ps, "<create node='%s'/>" % node)
        iq(sensor, "r1", ps, reading(node, "r1", "21.5"))
        n.send("/pubsub nodes %s" % ps)
        n.expect_buffer(local, r"-- Nodes of %s:$" % re.escape(ps))
        n.expect_buffer(local, r"--   %s$" % re.escape(node))
        n.send("/pubsub items %s %s" % (ps, node))
        n.expect_buffer(view, r"-- \[r1\] 21\.5$")
        n.expect_buffer(local, r"-- 1 item of %s in window \d+"
                        % re.escape(node))
        rec = Recorder()
        n.send("/hook add ps pubsub-item %s" % rec.command())
        n.expect_buffer(local, r"-- Hook ps added: on pubsub-item")
        n.send("/pubsub subscribe %s %s" % (ps, node))
        n.expect_buffer(local, r"-- Following %s on %s: new items appear"
                        % (re.escape(node), re.escape(ps)))
        iq(sensor, "r2", ps, reading(node, "r2", "22.0"))
        n.expect_buffer(view, r"-- \[r2\] 22\.0$")
        hook = rec.wait("pubsub-item", NATTER_NODE=node, NATTER_ID="r2")
        assert hook["env"]["NATTER_PEER"] == ps, hook
        assert hook["stdin"] == "22.0", hook
        n.send("/pubsub unsubscribe %s %s" % (ps, node))
        n.expect_buffer(local, r"-- No longer following %s on %s\.$"
                        % (re.escape(node), re.escape(ps)))
        iq(sensor, "r3", ps, reading(node, "r3", "23.0"))
        # A chat message after it, as a barrier: once it is here, a
        # notification of r3 would have been too.
        sensor.send({"to": jid, "body": "barrier"})
        n.expect_buffer("%s/%s" % (local, s_jid), r"barrier$")
        assert not n.lines_matching(r"\[r3\]")


@tap.both_servers
def test_publish_text_and_xml_create_delete_and_bad_requests():
    p, local, jid, pw = server_and_owner("owner2")
    ps = p.pubsub_domain
    node = "notes"
    view = "%s/pubsub:%s/%s" % (local, ps, node)
    n = natter_as(p, local, pw)
    with n:
        n.send("/pubsub create %s %s" % (ps, node))
        n.expect_buffer(local, r"-- Created the node %s on %s\.$"
                        % (re.escape(node), re.escape(ps)))
        n.send("/pubsub publish %s %s Milk is out" % (ps, node))
        n.expect_buffer(local, r"-- Published item \S+ to %s on %s\.$"
                        % (re.escape(node), re.escape(ps)))
        n.send("/pubsub publish %s %s <entry xmlns='urn:example:feed'>"
               "<title>Hello</title></entry>" % (ps, node))
        n.expect_buffer(local, r"-- Published item \S+ to %s" % re.escape(node))
        n.send("/pubsub items %s %s" % (ps, node))
        n.expect_buffer(view, r"\] Milk is out$")
        n.expect_buffer(view, r"\] <entry xmlns=\"urn:example:feed\"><title>"
                        r"Hello</title></entry>$")
        # Bad requests: said, and natter goes on.
        n.send("/pubsub publish %s %s <entry><unclosed></entry>" % (ps, node))
        util.wait_until(lambda: n.lines_matching(
            r"!! the payload is not one well-formed XML element"), 10,
            "the XML error")
        n.send("/pubsub frobnicate %s" % ps)
        util.wait_until(lambda: n.lines_matching(
            r"!! /pubsub frobnicate: not a pubsub action"), 10,
            "the unknown action")
        n.send("/pubsub items %s" % ps)
        util.wait_until(lambda: n.lines_matching(r"!! which node of "), 10,
                        "the missing node")
        n.send("/pubsub delete %s %s" % (ps, node))
        n.expect_buffer(local, r"-- Deleted the node %s on %s\.$"
                        % (re.escape(node), re.escape(ps)))
        n.send("/pubsub items %s %s" % (ps, node))
        n.expect_buffer(local, r"!! The items of %s failed: item-not-found"
                        % re.escape(ps))


if __name__ == "__main__":
    tap.main(globals())
