# Profanity (Debian's profanity 0.13), configured to log in without asking
# anything, for the interop tests and bench/: its accounts file
# ($XDG_DATA_HOME/profanity/accounts, one group per account) holds the
# JID, server, port, password and tls.policy=force; the test CA is trusted
# through profrc's [connection] tls.certpath, which Profanity hands to
# libstrophe as a CA directory (xmpp_conn_set_capath), so the directory is
# made with `openssl rehash`.
import os
import shutil
import subprocess


def write_home(home, server, jid, password, resource="prof", profrc=""):
    """Fills HOME (with .config and .local/share below it, as
    XDG_CONFIG_HOME and XDG_DATA_HOME) so that Profanity logs in as JID
    on SERVER (a Prosody of the harness). PROFRC: more lines of profrc."""
    conf = os.path.join(home, ".config", "profanity")
    data = os.path.join(home, ".local", "share", "profanity")
    ca = os.path.join(home, "ca")
    for d in (conf, data, ca):
        os.makedirs(d)
    shutil.copy(server.cafile, os.path.join(ca, "ca.pem"))
    subprocess.run(["openssl", "rehash", ca], check=True)
    with open(os.path.join(conf, "profrc"), "w") as f:
        f.write("[connection]\ntls.certpath=%s\n%s" % (ca, profrc))
    with open(os.path.join(data, "accounts"), "w") as f:
        f.write("[%s]\nenabled=true\njid=%s\nserver=%s\nport=%d\n"
                "resource=%s\npassword=%s\ntls.policy=force\n"
                % (jid, jid, server.host, server.port, resource, password))
