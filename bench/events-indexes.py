#!/usr/bin/env python3
"""What each of the Events table's secondary indexes costs a durable batch, alone and in sets.

    bench/events-indexes.py DB [--seconds S] [--batch N] [--rounds R] [--page-size B] SET...

DB is a dashboard file with events (a seeded one: bench/run.sh --queries-only --db FILE); its Events
table's definition is taken as it is, and its newest 60,000 events are read once, for their real mix
of accounts, types, request ids and error codes. Each
SET is a comma-separated list of the index names below ("" for none). For each set, in turn and R
times (default 2), a new scratch file gets the Events table with those indexes only, and the events
are stored as the writer stores them: N rows (default 32, a batch at 32 connections) a BEGIN
IMMEDIATE transaction, synchronous=FULL, WAL, no checkpoint, for S seconds (default 3). Prints rows/s,
the log frames (pages of B bytes, default 4096 as the dashboard's files) a commit wrote and their KiB.
Rates move with the host; the frames do not.

    sha      UNIQUE (BodySha256)                     a redelivery is told by its body
    recv     (ReceivedAt)
    acc      (AccountId, Id)                         before the nineteenth look
    acctype  (AccountId, EventType, Id)              before the nineteenth look
    accte    (AccountId, Id, EventType, ErrorCode)   since the nineteenth look
    type     (EventType, Id)
    err      (ErrorCode, Id)                         before the nineteenth look
    errp     (ErrorCode, Id) WHERE ErrorCode IS NOT NULL   since the nineteenth look
    req      (RequestId)

e.g. bench/events-indexes.py seeded.db sha,recv,acc,acctype,type,err,req sha,recv,accte,type,errp,req sha ""
"""
import hashlib, os, sqlite3, sys, tempfile, time

INDEXES = {
    "sha": "CREATE UNIQUE INDEX ix_sha ON Events (BodySha256)",
    "recv": "CREATE INDEX ix_recv ON Events (ReceivedAt)",
    "acc": "CREATE INDEX ix_acc ON Events (AccountId, Id)",
    "acctype": "CREATE INDEX ix_acctype ON Events (AccountId, EventType, Id)",
    "accte": "CREATE INDEX ix_accte ON Events (AccountId, Id, EventType, ErrorCode)",
    "type": "CREATE INDEX ix_type ON Events (EventType, Id)",
    "err": "CREATE INDEX ix_err ON Events (ErrorCode, Id)",
    "errp": "CREATE INDEX ix_errp ON Events (ErrorCode, Id) WHERE ErrorCode IS NOT NULL",
    "req": "CREATE INDEX ix_req ON Events (RequestId)",
}

INSERT = """INSERT INTO Events (ReceivedAt, LastDeliveredAt, DeliveryCount, BodySha256, EventType, TypeSource, AccountId,
    AccountSource, Status, RequestId, ErrorCode, Message, Signature, RawBody)
    VALUES (?, ?, 1, ?, ?, 'Explicit', ?, 'Hinted', NULL, ?, ?, NULL, 'Valid', ?)"""

def measure(table, rows, names, batch, seconds, work, page_size):
    path = os.path.join(work, "events.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix): os.remove(path + suffix)
    c = sqlite3.connect(path, isolation_level=None)
    c.executescript(f"PRAGMA page_size={page_size}; PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;")
    c.execute(table)
    for name in names: c.execute(INDEXES[name])
    sql = INSERT + (" ON CONFLICT (BodySha256) DO NOTHING RETURNING Id" if "sha" in names else " RETURNING Id")
    stored = commits = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds and stored + batch <= len(rows):
        c.execute("BEGIN IMMEDIATE")
        for _ in range(batch):
            received, event_type, account, request, code, body = rows[stored]
            now = int(time.time() * 1000)
            c.execute(sql, (now, now, hashlib.sha256(body).digest(), event_type, account, request, code, body)).fetchall()
            stored += 1
        c.execute("COMMIT")
        commits += 1
    elapsed = time.perf_counter() - start
    frames = os.path.getsize(path + "-wal") // (page_size + 24)
    c.close()
    return stored / elapsed, frames / max(commits, 1)


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip()); return 2
    args = argv[2:]
    def option(name, default):
        if name in args:
            i = args.index(name); value = args[i + 1]; del args[i:i + 2]; return value
        return default
    seconds, batch, rounds = float(option("--seconds", 3)), int(option("--batch", 32)), int(option("--rounds", 2))
    page_size = int(option("--page-size", 4096))
    sets = [[n for n in s.split(",") if n] for s in args]
    for s in sets:
        for n in s:
            if n not in INDEXES: print(f"unknown index {n}; known: {', '.join(INDEXES)}"); return 2
    source = sqlite3.connect(f"file:{argv[1]}?mode=ro", uri=True)
    # The table as the dashboard made it in that file; only its indexes are this script's.
    table = source.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'Events'").fetchone()[0]
    rows = source.execute("SELECT ReceivedAt, EventType, AccountId, RequestId, ErrorCode, RawBody FROM Events ORDER BY Id DESC LIMIT 60000").fetchall()
    rows.reverse()
    print(f"SQLite {sqlite3.sqlite_version}, {len(rows):,} events, {batch} rows a durable transaction, {seconds:g} s a run, {page_size}-byte pages")
    with tempfile.TemporaryDirectory(dir="/var/tmp") as work:
        for r in range(rounds):
            for s in sets:
                rate, frames = measure(table, rows, s, batch, seconds, work, page_size)
                print(f"  round {r + 1}  {'+'.join(s) or 'none':45s} {rate:8,.0f} rows/s  {frames:6.1f} frames a commit"
                      f" ({frames * page_size / 1024:,.0f} KiB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
