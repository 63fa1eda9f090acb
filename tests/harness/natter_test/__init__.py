# natter's test harness: a private Prosody (prosody), XMPP bots (bots),
# drivers for `natter --headless` (headless) and for natter in a real
# terminal under tmux (tmux), and a small TAP runner (tap). See ../NOTES.md.
