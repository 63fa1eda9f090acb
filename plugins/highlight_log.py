"""Keeps the messages that mention you in a file, to read later."""
# A Python plugin of natter (see PLUGINS in natter(1) and HACKING):
#   /plugin load highlight_log
#   /highlights [N]        the last N (10) lines kept
#   /highlights clear      empties the file
# What is kept: room messages that mention you (natter's highlight) and
# messages, in rooms or chats, with one of the words of
# highlight_log.words (comma-separated, any case). The file is
# highlights.log in the plugin's data directory, one line each:
#   2026-12-04 15:30:12 account room@muc.example.org <nick> text
__version__ = "1.0"

import os
import time

import natter

LOG = os.path.join(natter.data_dir(), "highlights.log")


def words():
    text = natter.get_string("highlight_log.words") or ""
    return [w.strip().lower() for w in text.split(",") if w.strip()]


def on_message(event):
    message = event.message
    body = message.body
    if message.outgoing or not body:
        return
    lower = body.lower()
    if not message.highlight and not any(w in lower for w in words()):
        return
    # One line per message: line breaks of the text would start new ones.
    text = " ".join(body.split())
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(message.time))
    with open(LOG, "a", encoding="utf-8") as f:
        f.write("%s %s %s <%s> %s\n" % (when, message.account, message.peer,
                                        message.nick, text))


def highlights(call, what="10"):
    if what == "clear":
        open(LOG, "w").close()
        call.print("Highlights cleared.")
        return
    try:
        count = int(what)
    except ValueError:
        raise natter.Error("usage: /highlights [N|clear]")
    try:
        with open(LOG, encoding="utf-8") as f:
            lines = f.read().splitlines()[-count:] if count > 0 else []
    except FileNotFoundError:
        lines = []
    if not lines:
        call.print("No highlights kept.")
    for line in lines:
        call.print(line)


natter.command(
    "highlights", highlights,
    synopsis=["/highlights [N]", "/highlights clear"],
    summary="show the messages that mentioned you",
    description="Shows the last N (10) messages kept in highlights.log of "
    "the plugin's data directory: room messages that mention you and "
    "messages with one of the words of highlight_log.words. /highlights "
    "clear empties the file.",
    max_args=1)
natter.setting("words", natter.STRING, "",
               "more words that make a message kept (comma-separated)")
natter.subscribe("message-received", on_message)
