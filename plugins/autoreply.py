"""Answers chat messages while you are away, once per contact."""
# A Python plugin of natter (see PLUGINS in natter(1) and HACKING):
#   /plugin load autoreply
#   /autoreply on Back at five.      away: each contact that writes to you
#                                    gets one answer
#   /autoreply                       who wrote meanwhile
#   /autoreply off                   back: lists who wrote, stops answering
# autoreply.prefix is put before the text of each answer.
__version__ = "1.0"

import natter

away = None        # the text of the answer while away, else None
answered = {}      # (account, peer) -> how many messages came meanwhile


def on_message(event):
    message = event.message
    # Live one-to-one messages of others only: not rooms (everyone would
    # get it), not history, not our own from another client.
    if (away is None or message.outgoing or message.kind != "chat"
            or message.origin != "live" or not message.body):
        return
    key = (message.account, message.peer)
    answered[key] = answered.get(key, 0) + 1
    if answered[key] > 1:
        return
    prefix = natter.get_string("autoreply.prefix") or ""
    natter.send_message(message.account, message.peer,
                        (prefix + " " + away).strip())


def summary():
    if not answered:
        return ["Nobody wrote."]
    return ["%s (%s): %d message%s" % (peer, account, n, "s" * (n != 1))
            for (account, peer), n in sorted(answered.items())]


def autoreply(call, state=None, text=None):
    global away
    if state is None:
        call.print("Auto-reply is %s." % ("on: " + away if away is not None
                                          else "off"))
        if away is not None:
            for line in summary():
                call.print("  " + line)
        return
    if state == "on":
        away = text or "I am away and will answer later."
        answered.clear()
        call.print("Auto-reply on: " + away)
    elif state == "off":
        if away is None:
            raise natter.Error("auto-reply is not on")
        away = None
        call.print("Auto-reply off. While you were away:")
        for line in summary():
            call.print("  " + line)
        answered.clear()
    else:
        raise natter.Error("usage: /autoreply [on [TEXT]|off]")


natter.command(
    "autoreply", autoreply,
    synopsis=["/autoreply", "/autoreply on [TEXT]", "/autoreply off"],
    summary="answer chat messages while you are away",
    description="/autoreply on TEXT answers the first chat message of each "
    "contact with TEXT (after autoreply.prefix) until /autoreply off, "
    "which lists who wrote meanwhile. Room messages, history and carbons "
    "are not answered. /autoreply alone says whether it is on.",
    max_args=2, rest=True)
natter.setting("prefix", natter.STRING, "[auto-reply]",
               "put before the text of each automatic answer")
natter.subscribe("message-received", on_message)
