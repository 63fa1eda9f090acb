#!/usr/bin/python3
# Encrypted files (XEP-0454, aesgcm://) through the real server's upload
# service: /sendfile in an OMEMO chat uploads AES-256-GCM ciphertext and
# sends the aesgcm:// link only inside the OMEMO message; natter to natter
# it is downloaded and decrypted; with python-omemo as the peer, the test
# decrypts natter's file with Python's `cryptography` (an AES-GCM that is
# not ours) and natter decrypts a file `cryptography` encrypted; a file
# whose tag does not verify is refused and leaves nothing; when OMEMO
# cannot encrypt, nothing is sent, and an aesgcm:// link never leaves in
# the clear.
import hashlib
import json
import os
import re
import ssl
import tempfile
import urllib.request

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from natter_test import tap
from natter_test.bots import Bot

from fixtures import online_natter

OMEMO_LINE = r"\{omemo (?:trusted|verified|undecided)\} <%s> %s$"
LINK = r"(aesgcm://\S+)"


def omemo_natter(p, prefix):
    """A headless natter whose new OMEMO device is published."""
    n, local, jid = online_natter(p, prefix)
    n.expect_buffer(local, r"OMEMO: this device \(\d+\) is in our device "
                    r"list$")
    return n, local, jid


def omemo_bot(p, prefix="pyomemo"):
    local, jid, password = tap.new_account(p, prefix)
    bot = Bot("omemo_bot.py", Bot.connection_args(p, local, password),
              name="omemo_bot(%s)" % local, commands=True)
    bot.start(timeout=30)
    return bot, jid


def write(d, name, data):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def split_link(link, p):
    """(https URL, IV, key) of an aesgcm:// LINK."""
    rest, fragment = link[len("aesgcm://"):].split("#")
    assert re.fullmatch(r"[0-9a-f]{88}", fragment), fragment
    assert rest.startswith("%s:%d/" % (p.host, p.https_port)), rest
    raw = bytes.fromhex(fragment)
    return "https://" + rest, raw[:12], raw[12:]


def tls(p):
    return ssl.create_default_context(cafile=p.cafile)


def fetch(p, url):
    with urllib.request.urlopen(url, timeout=30, context=tls(p)) as r:
        return r.read()


def test_natter_to_natter():
    p = tap.shared_prosody(https_upload=True)
    a, a_local, a_jid = omemo_natter(p, "alice")
    b, b_local, b_jid = omemo_natter(p, "bob")
    with a, b, tempfile.TemporaryDirectory() as d:
        a_chat = "%s/%s" % (a_local, b_jid)
        b_chat = "%s/%s" % (b_local, a_jid)
        a.send("/msg %s" % b_jid)
        a.send("/omemo on")
        a.expect_buffer(a_chat, r"OMEMO: %s has 1 device, 1 with a session"
                        % re.escape(b_jid))
        data = os.urandom(2 * 1024 * 1024 + 321)
        a.send("/sendfile %s" % write(d, "secret plan.pdf", data))
        a.expect_buffer(a_chat, r"Upload of secret plan\.pdf \(2\.0 MiB\) "
                        r"to \S+, encrypted for OMEMO: looking for")
        a.expect_buffer(a_chat, r"Upload of secret plan\.pdf: sending "
                        r"2\.0 MiB encrypted \(AES-256-GCM\)")
        a.expect_buffer(a_chat, r"Upload of secret plan\.pdf done \(2\.0 MiB, "
                        r"encrypted\): its aesgcm:// link leaves only "
                        r"OMEMO-encrypted$", timeout=30)
        link = b.expect_buffer(b_chat, OMEMO_LINE % (re.escape(a_jid), LINK),
                               timeout=20).group(1)
        url, iv, key = split_link(link, p)
        # The upload host has ciphertext and tag only.
        stored = fetch(p, url)
        assert len(stored) == len(data) + 16
        assert data[:4096] not in stored
        b.send("/set download_dir %s" % os.path.join(d, "dl"))
        b.send("/msg %s" % a_jid)
        b.send("/download")
        shown = re.escape(link.split("#")[0])
        b.expect_buffer(b_chat, r"Download of %s: started, saving as .+ "
                        r"\(decrypting AES-256-GCM\)" % shown)
        saved = b.expect_buffer(b_chat, r"Download of %s done \(2\.0 MiB\): "
                                r"saved as (.*)$" % shown,
                                timeout=30).group(1)
        assert saved == os.path.join(d, "dl", "secret plan.pdf"), saved
        with open(saved, "rb") as f:
            assert f.read() == data
        # The key is in the message, never in the transfer's own lines.
        key_hex = link.split("#")[1]
        assert not [l for l in a.lines_matching(re.escape(key_hex))
                    if "Upload" in l or "Download" in l]
        assert not [l for l in b.lines_matching(re.escape(key_hex))
                    if "Download" in l]


def test_python_cryptography_decrypts_what_natter_sent():
    p = tap.shared_prosody(https_upload=True)
    n, local, jid = omemo_natter(p, "alice")
    bot, bot_jid = omemo_bot(p)
    with n, bot, tempfile.TemporaryDirectory() as d:
        chat = "%s/%s" % (local, bot_jid)
        n.send("/msg %s" % bot_jid)
        n.send("/omemo on")
        data = os.urandom(300 * 1024 + 5)
        n.send("/sendfile %s" % write(d, "photo.jpg", data))
        frm, body = bot.expect_line(r"^(?:DECRYPTED|UNDECRYPTABLE) (\S+) "
                                    r"(.*)$", timeout=30).groups()
        assert frm == jid, frm
        link = json.loads(body)
        assert re.fullmatch(r"aesgcm://[^\s#]+/photo\.jpg#[0-9a-f]{88}",
                            link), link
        url, iv, key = split_link(link, p)
        assert AESGCM(key).decrypt(iv, fetch(p, url), None) == data
        n.expect_buffer(chat, r"Upload of photo\.jpg done")


def upload_through_bot(p, bot, name, blob):
    """BLOB put into a slot of the server's upload service that the bot
    asked for; its GET URL."""
    bot.send_json({"slot": p.upload_domain, "filename": name,
                   "size": len(blob)})
    put, get, headers = bot.expect_line(r"^SLOT (\S+) (\S+) (.*)$").groups()
    headers = json.loads(headers)
    headers["Content-Type"] = "application/octet-stream"
    request = urllib.request.Request(json.loads(put), data=blob, method="PUT",
                                     headers=headers)
    with urllib.request.urlopen(request, timeout=30, context=tls(p)) as r:
        assert r.status in (200, 201), r.status
    return json.loads(get)


def test_natter_decrypts_what_python_cryptography_encrypted():
    p = tap.shared_prosody(https_upload=True)
    n, local, jid = omemo_natter(p, "alice")
    bot, bot_jid = omemo_bot(p)
    with n, bot, tempfile.TemporaryDirectory() as d:
        chat = "%s/%s" % (local, bot_jid)
        downloads = os.path.join(d, "dl")
        n.send("/set download_dir %s" % downloads)
        data = os.urandom(1024 * 1024 + 99)
        key, iv = AESGCM.generate_key(bit_length=256), os.urandom(12)
        sealed = AESGCM(key).encrypt(iv, data, None)
        get = upload_through_bot(p, bot, "notes.txt", sealed)
        assert get.startswith("https://"), get
        link = "aesgcm://" + get[len("https://"):] + "#" + (iv + key).hex()
        bot.send_json({"to": jid, "body": link})
        n.expect_buffer(chat, OMEMO_LINE % (re.escape(bot_jid),
                                            re.escape(link)), timeout=20)
        n.send("/msg %s" % bot_jid)
        n.send("/download")
        saved = n.expect_buffer(chat, r"Download of \S+ done \(1\.0 MiB\): "
                                r"saved as (.*)$", timeout=30).group(1)
        with open(saved, "rb") as f:
            assert hashlib.sha256(f.read()).digest() == \
                hashlib.sha256(data).digest()
        # The same file with one byte changed (the tag no longer
        # verifies): refused, and nothing is left of it.
        os.remove(saved)
        tampered = bytearray(sealed)
        tampered[len(tampered) // 2] ^= 0x40
        get = upload_through_bot(p, bot, "changed.txt", bytes(tampered))
        bad = "aesgcm://" + get[len("https://"):] + "#" + (iv + key).hex()
        bot.send_json({"to": jid, "body": bad})
        n.expect_buffer(chat, OMEMO_LINE % (re.escape(bot_jid),
                                            re.escape(bad)), timeout=20)
        n.send("/download")
        n.expect_buffer(chat, r"!! Download of %s failed: the file was "
                        r"changed or damaged: its authentication tag does "
                        r"not match the key \(nothing was saved\)$"
                        % re.escape(bad.split("#")[0]), timeout=30)
        assert os.listdir(downloads) == [], os.listdir(downloads)


def test_nothing_in_the_clear_when_omemo_cannot_encrypt():
    p = tap.shared_prosody(https_upload=True)
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "plain")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as bot, \
            tempfile.TemporaryDirectory() as d:
        chat = "%s/%s" % (local, s_jid)
        n.send("/msg %s" % s_jid)
        n.send("/omemo on")
        n.send("/sendfile %s" % write(d, "tax.pdf", os.urandom(5000)))
        n.expect_buffer(chat, r"Upload of tax\.pdf done \(4\.9 KiB, "
                        r"encrypted\)", timeout=30)
        n.expect_buffer(chat, r"!! Not sent: OMEMO is on for %s but there "
                        r"is no device of theirs to encrypt to"
                        % re.escape(s_jid))
        link = n.expect_buffer(chat, r"<%s> %s$" % (re.escape(local), LINK)
                               ).group(1)
        # Pasted into the chat with OMEMO off, the link is refused too.
        n.send("/omemo off")
        n.send("look: %s" % link)
        n.expect_buffer(chat, r"!! Not sent: an aesgcm:// link holds the key "
                        r"of an encrypted file and leaves only "
                        r"OMEMO-encrypted")
        n.send("after")
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert json.loads(body) == "after", body


if __name__ == "__main__":
    tap.main(globals())
