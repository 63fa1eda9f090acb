"""Test plugin: the Python API of natter, for test_python_plugins."""
# Its command, setting, stages, events and timer each leave a trace the
# test can see: a console line or a change of a message.
__version__ = "0.3"

import natter

ticks = 0


def probe(call, what="hello", *rest):
    global ticks
    if what == "hello":
        call.print("pyprobe: hello from %s, account %s, peer %s"
                   % (natter.name(), call.account, call.peer))
    elif what == "boom":
        return {}["boom"]
    elif what == "fail":
        raise natter.Error("pyprobe was asked to fail")
    elif what == "dir":
        call.print("pyprobe: data dir " + natter.data_dir())
    elif what == "setting":
        call.print("pyprobe: mark is " + natter.get_string("pyprobe.mark"))
    elif what == "timer":
        ticks = 0
        natter.timer(20, tick)
    elif what == "send":
        natter.send_message(call.account, rest[0], " ".join(rest[1:]))
    elif what == "stanza":
        natter.send_stanza(call.account, " ".join(rest))
        call.print("pyprobe: stanza sent")
    elif what == "feature":
        natter.add_feature(rest[0])
        call.print("pyprobe: feature added")
    elif what == "once":
        # A handler that removes itself while it runs.
        def once(event):
            natter.unsubscribe(once_id[0])
            natter.print("pyprobe: once " + event.message.body)
        once_id = [natter.subscribe("message-received", once)]
    elif what == "stale":
        # A handle used after its callback returned raises, natter goes on.
        global kept
        kept = call
        natter.timer(10, lambda: kept.print("never shown"))
    elif what == "key":
        natter.key_action("wave", "pyprobe waves",
                          lambda: natter.print_current("pyprobe: waved"))
        call.print("pyprobe: key action added")
    elif what == "ask":
        natter.ask(" ".join(rest) or "Well?",
                   lambda answer: natter.print("pyprobe: answer %s" % answer))
    elif what == "open":
        natter.open_window(call.account, rest[0])
    else:
        raise natter.Error("no /pyprobe " + what)


def tick():
    global ticks
    ticks += 1
    natter.print("pyprobe: tick %d" % ticks)
    return ticks < 3


def outbound(message):
    if message.body and "secret" in message.body:
        message.body = message.body.replace("secret", "[hidden]")


def inbound(message):
    if message.body and "spam" in message.body:
        message.refuse("pyprobe does not take spam")


def on_received(event):
    m = event.message
    if m.body == "raise":
        raise KeyError("raised in a handler")
    natter.print("pyprobe: %s from %s on %s: %s (%s, %s)"
                 % (event.name, m.peer, event.account, m.body, m.kind,
                    m.origin))


natter.command("pyprobe", probe,
               synopsis=["/pyprobe [hello|boom|fail|dir|setting|timer|once]",
                         "/pyprobe key", "/pyprobe ask QUESTION",
                         "/pyprobe open JID",
                         "/pyprobe send JID TEXT", "/pyprobe stanza XML",
                         "/pyprobe feature VAR"],
               summary="probe the Python plugin API",
               description="Answers with what the Python API gives it.",
               max_args=3, rest=True)
natter.setting("mark", natter.STRING, "[py]", "a mark for the tests")
natter.stage(natter.OUT, "hide", outbound)
natter.stage(natter.IN, "nospam", inbound)
natter.subscribe("message-received", on_received)
natter.subscribe("setting-changed",
                 lambda e: natter.print("pyprobe: %s %s" % (e.name, e.detail)))
print("pyprobe: loaded, API version %d" % natter.API_VERSION)


def deinit():
    print("pyprobe: deinit")
