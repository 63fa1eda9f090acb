# Federation on one machine: test servers for several domains (a.test,
# b.test), each on a loopback address of its own with s2s on port 5269,
# finding each other through a private name map instead of DNS.
#
#   net = Network()
#   a = Prosody(domain="a.test", federation=net)
#   b = Ejabberd(domain="b.test", federation=net)
#   ... start both; alice@a.test talks to bob@b.test over s2s.
#
# Where it may (as root), the test process first moves into a network
# namespace of its own that has only a loopback interface: port 5269 is
# then free whatever the machine runs, nothing from outside can reach the
# servers, and everything the test starts afterwards (servers, natter,
# bots) inherits it. Elsewhere the servers take random 127.x.y.z addresses,
# where port 5269 is free unless something listens on all addresses.
#
# The name map is a hosts file each server reads instead of DNS: Prosody
# through lua-unbound (its hoststxt option); ejabberd looks names up with
# the C library (getaddrinfo), which reads /etc/hosts, so it runs in a
# mount namespace of its own where the map is bound over /etc/hosts (as
# root, and not in a chroot: net:getaddrinfo of ejabberd 23.01 reads no
# other map). Neither server gets an SRV answer, so both dial port 5269 of
# the address the map gives.
import ctypes
import errno
import os
import random
import shutil
import socket
import subprocess
import tempfile

from . import util
from .server import S2S_PORT

_CLONE_NEWNET = 0x40000000
_netns = None  # True once this process has its own network namespace


def _private_netns():
    """Move this process into a new network namespace with lo up; True if
    done, False if the kernel refuses (no root)."""
    global _netns
    if _netns is None:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            if err not in (errno.EPERM, errno.EINVAL, errno.ENOSYS):
                raise OSError(err, "unshare(CLONE_NEWNET): "
                              + os.strerror(err))
            _netns = False
        else:
            subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
            _netns = True
    return _netns


_private_mounts = None  # True once a private mount namespace proved possible


def private_mounts():
    """True if a process may get a mount namespace of its own with private
    propagation (what ejabberd's name map needs). Not in a chroot, whose
    root is no mount point (unshare: Invalid argument), nor without root."""
    global _private_mounts
    if _private_mounts is None:
        r = subprocess.run(["unshare", "--mount", "--propagation",
                            "private", "true"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        _private_mounts = r.returncode == 0
    return _private_mounts


def _bindable(address):
    try:
        with socket.socket() as s:
            s.bind((address, S2S_PORT))
        return True
    except OSError:
        return False


class Network:
    """The servers of a federation test and the map of their domains."""

    def __init__(self):
        self.isolated = _private_netns()
        self.dir = tempfile.mkdtemp(prefix="natter-federation-")
        self._token = util.on_cleanup("federation " + self.dir, self.close)
        self.hosts_file = os.path.join(self.dir, "hosts")
        self.hosts = {}      # domain -> address
        self._next = 2       # 127.0.0.2, .3, ... in a namespace of our own
        self._write_hosts()

    def _address(self):
        if self.isolated:
            self._next += 1
            return "127.0.0.%d" % (self._next - 1)
        for _ in range(50):
            address = "127.%d.%d.%d" % (random.randrange(1, 255),
                                        random.randrange(0, 256),
                                        random.randrange(2, 255))
            if address not in self.hosts.values() and _bindable(address):
                return address
        raise RuntimeError("no loopback address with port %d free"
                           % S2S_PORT)

    def add(self, server):
        """Give SERVER an address and map every domain it serves to it;
        returns the address."""
        address = self._address()
        for domain in server.served_domains():
            if domain in self.hosts:
                raise ValueError("%s is served twice" % domain)
            self.hosts[domain] = address
        self._write_hosts()
        return address

    def _write_hosts(self):
        with open(self.hosts_file, "w") as f:
            # It stands in for /etc/hosts too (see Ejabberd).
            f.write("127.0.0.1 localhost\n::1 localhost\n")
            for domain, address in self.hosts.items():
                f.write("%s %s\n" % (address, domain))

    def close(self):
        util.cancel_cleanup(self._token)
        if os.environ.get("NATTER_TEST_KEEP"):
            util.diag("kept federation dir %s" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
