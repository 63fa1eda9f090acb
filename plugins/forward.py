"""Forwards your chat messages to another address of yours, and back."""
# A Python plugin of natter (see PYTHON PLUGINS in natter(1) and HACKING):
#   /plugin load forward
#   /set forward.to me@phone.example      on: chat messages you receive go
#                                         on to that address as
#                                         "alice@example.org: text"
#   /set forward.to off                   off (as it starts)
# From that address, "@JID text" sends text to JID, and a message without
# "@" answers the last contact forwarded; they leave from the account the
# forwarded message came to. Live one-to-one messages only: no rooms, no
# history, no carbons. /forward says where messages go and who was last.
__version__ = "1.0"

import natter

last = {}  # account -> the JID of the last contact forwarded


def target():
    to = (natter.get_string("forward.to") or "").strip()
    return "" if to == "off" else to


def on_message(event):
    message = event.message
    to = target()
    if (not to or message.outgoing or message.kind != "chat"
            or message.origin != "live" or not message.body):
        return
    if message.peer.lower() == to.lower():
        relay(message.account, message.body)
        return
    last[message.account] = message.peer
    natter.send_message(message.account, to,
                        "%s: %s" % (message.peer, message.body))


def relay(account, body):
    """A message from the forward address: to the contact it names."""
    if body.startswith("@") and " " in body:
        jid, text = body[1:].split(" ", 1)
    else:
        jid, text = last.get(account), body
    if not jid:
        natter.send_message(account, target(),
                            "[forward] nobody to answer yet: write "
                            "@JID text")
        return
    natter.send_message(account, jid, text)
    natter.print("Forwarded from %s to %s: %s" % (target(), jid, text),
                 account)


def forward(call):
    to = target()
    if not to:
        call.print("Forwarding is off (/set forward.to JID turns it on).")
        return
    call.print("Chat messages go on to %s." % to)
    for account, jid in sorted(last.items()):
        call.print("  %s: last forwarded from %s" % (account, jid))


natter.command(
    "forward", forward, synopsis=["/forward"],
    summary="say where chat messages are forwarded",
    description="With the setting forward.to set to a JID of yours, the "
    "chat messages you receive are sent on to it, and what it sends back "
    "goes to the last contact forwarded (or, as '@JID text', to JID). "
    "/forward says where messages go.",
    max_args=0)
natter.setting("to", natter.STRING, "off",
               "forward chat messages to this JID, and take its answers "
               "(off: do not)")
natter.subscribe("message-received", on_message)
