#!/usr/bin/python3
# echo-bot.py: a bot made of a running natter (headless or not) and its
# control socket. It follows the events (natter --events --bodies) and
# answers every chat message it receives with "echo: " and the message,
# through natter --send. Nothing from a message reaches a shell: the
# answer is one argument of an argument list.
#
#   natter --headless -a bot -e "/set control_socket on" &
#   examples/echo-bot.py [NATTER OPTIONS, e.g. --data-dir DIR]
#
# Options are passed to both natter clients (--config-dir, --data-dir: the
# same as the natter's). Stops when natter quits.
import json
import subprocess
import sys

NATTER = "natter"


def main(argv):
    natter = [NATTER]
    args = argv[1:]
    if args[:1] == ["--natter"]:  # which binary (the tests use the build's)
        natter, args = [args[1]], args[2:]
    events = subprocess.Popen(natter + args + ["--events", "--bodies"],
                              stdout=subprocess.PIPE, text=True)
    for line in events.stdout:
        event = json.loads(line)
        if event.get("event") == "ready":
            print("echo-bot: ready", flush=True)
        if (event.get("event") != "message-received"
                or event.get("direction") != "in"
                or event.get("kind") != "chat"
                or event.get("body") is None):
            continue
        answer = "echo: " + event["body"]
        subprocess.run(natter + args + ["-a", event["account"], "--send",
                                        event["peer"], "-"],
                       input=answer, text=True, check=False)
    return events.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
