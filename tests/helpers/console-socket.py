#!/usr/bin/env python3
"""A --console-socket receiver for the tests.

console-socket.py SOCKET OUT [INPUT]
Listens on SOCKET, takes one pty master (SCM_RIGHTS), writes its window size
("ROWS COLS") to OUT.size, sends INPUT (if any) to the container, then copies
everything the container writes to OUT until the terminal closes.
"""
import array
import fcntl
import os
import socket
import struct
import sys
import termios


def main():
    path, out = sys.argv[1], sys.argv[2]
    data = sys.argv[3] if len(sys.argv) > 3 else None
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(path):
        os.unlink(path)
    srv.bind(path)
    srv.listen(1)
    conn, _ = srv.accept()
    msg, fds, _, _ = socket.recv_fds(conn, 4096, 1)
    if not fds:
        print("no fd received", file=sys.stderr)
        return 1
    master = fds[0]
    ws = fcntl.ioctl(master, termios.TIOCGWINSZ, struct.pack("HHHH", 0, 0, 0, 0))
    rows, cols, _, _ = struct.unpack("HHHH", ws)
    with open(out + ".size", "w") as f:
        f.write("%d %d\n" % (rows, cols))
    with open(out + ".name", "w") as f:
        f.write(msg.decode(errors="replace").rstrip("\0") + "\n")
    if data is not None:
        os.write(master, data.encode())
    with open(out, "wb") as f:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            f.write(chunk)
            f.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
