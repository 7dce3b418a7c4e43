#!/usr/bin/env python3
"""What a dashboard's commits write: the frames of a write-ahead log, per commit and per b-tree.

    bench/wal-frames.py DB [WAL] [--last N]

DB and WAL are copies of a dashboard's file and its log taken while it ran (copy the log first, then
the file, so that every page the log names exists). Reads the log's valid frames (those carrying the
log header's salts), groups them by commit (a frame with a database size marks a commit's end), and
names each page's b-tree (table or index) with SQLite's dbstat table on a scratch copy of both. Prints
the frames a commit writes, their spread, and which b-trees they belong to, over the last N commits
(default: all). Each frame is one 4 KiB page (plus a 24-byte header) written and later synced.
"""
import collections, os, shutil, sqlite3, struct, sys, tempfile

def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip()); return 2
    db = argv[1]
    wal = argv[2] if len(argv) > 2 and not argv[2].startswith("--") else db + "-wal"
    last = int(argv[argv.index("--last") + 1]) if "--last" in argv else None
    data = open(wal, "rb").read()
    if len(data) < 32:
        print("The log is empty."); return 1
    _, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">IIIIIIII", data[:32])
    commits, current, at = [], [], 32
    while at + 24 + page_size <= len(data):
        page, size_after, s1, s2, _, _ = struct.unpack(">IIIIII", data[at:at + 24])
        if (s1, s2) != (salt1, salt2):
            break
        current.append(page)
        if size_after:
            commits.append(current); current = []
        at += 24 + page_size
    if last:
        commits = commits[-last:]
    if not commits:
        print("No commit in the log."); return 1
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "copy.db")
        shutil.copy(db, copy); shutil.copy(wal, copy + "-wal")
        owner = dict((page, name) for name, page in sqlite3.connect(copy).execute("SELECT name, pageno FROM dbstat"))
    sizes = sorted(len(c) for c in commits)
    frames = sum(sizes)
    print(f"{len(commits)} commits, {frames} frames of {page_size} bytes: {frames / len(commits):.1f} a commit "
          f"(p50 {sizes[len(sizes) // 2]}, p90 {sizes[int(len(sizes) * 0.9)]}, max {sizes[-1]})")
    by_tree = collections.Counter(owner.get(page, "(free or new page)") for commit in commits for page in commit)
    print("frames a commit, by b-tree:")
    for name, count in by_tree.most_common():
        print(f"  {count / len(commits):6.2f}  {name}")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
