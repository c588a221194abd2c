#!/usr/bin/env python3
"""A NOTIFY_SOCKET listener for the tests (the systemd side).

notify-listen.py SOCKET OUT: binds a datagram socket at SOCKET and appends
each message it receives to OUT (one per line) until it sees READY=1.
"""
import os
import socket
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o777)
    open(out + ".ready", "w").close()
    while True:
        msg = s.recv(4096).decode(errors="replace")
        with open(out, "a") as f:
            f.write(msg.replace("\n", " ").strip() + "\n")
        if "READY=1" in msg.split("\n"):
            return 0


if __name__ == "__main__":
    sys.exit(main())
