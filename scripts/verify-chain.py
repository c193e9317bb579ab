#!/usr/bin/env python3
"""Verifies the hash chain of an Escalation Ledger SQLite log, independently of the API.

    python3 scripts/verify-chain.py data/ledger.sqlite [--position P --hash H]

Prints the same JSON as GET /v1/audit/verify; exits 0 when the chain holds, 1 when
it is broken, 2 when the arguments are wrong or the file is missing. Standard library only. The algorithm
is in docs/audit.md. The file is opened read-only: safe beside a running API.
"""
import argparse, hashlib, json, pathlib, re, sqlite3, sys

GENESIS = "0" * 64


def netstring(field: bytes) -> bytes:
    return str(len(field)).encode() + b":" + field + b","


def as_bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def verify(path, receipt=None):
    # as_uri() escapes '#', '?' and '%', which would otherwise end the file name early.
    db = sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    db.text_factory = bytes  # hash the bytes exactly as stored
    columns = [row[1] for row in db.execute("PRAGMA table_info(events)")]
    hash_column = "hash" if b"hash" in columns else "NULL"
    rows = db.execute(
        "SELECT position, stream_id, version, type, data, metadata, "
        f"{hash_column} FROM events ORDER BY position"
    )
    prev, checked, reached = GENESIS, 0, receipt is None

    def result(reason=None, position=None, stream=None, version=None):
        if reason is None:
            return {"ok": True, "eventsChecked": checked}
        stream = stream.decode() if stream is not None else None
        at = {"streamId": stream, "version": version, "position": str(position)}
        return {"ok": False, "eventsChecked": checked, "firstBroken": {**at, "reason": reason}}

    def receipt_passed():  # the receipt's position lies behind us and no event stood on it
        if receipt[0] == 0:
            return None if receipt[1] == GENESIS else result("receipt_mismatch", 0)
        return result("receipt_beyond_log", receipt[0])

    for position, stream, version, type_, data, metadata, stored in rows:
        if not reached and receipt[0] < position:
            reached = True
            if (passed := receipt_passed()) is not None:
                return passed
        checked += 1
        if stored is None:
            return result("hash_missing", position, stream, version)
        fields = [prev.encode(), stream, as_bytes(version), type_, data, metadata]
        computed = hashlib.sha256(b"".join(netstring(as_bytes(f)) for f in fields)).hexdigest()
        if computed != stored.decode("ascii", "replace"):
            return result("hash_mismatch", position, stream, version)
        prev = computed
        if receipt is not None and position == receipt[0]:
            reached = True
            if computed != receipt[1]:
                return result("receipt_mismatch", position, stream, version)
    return result() if reached else (receipt_passed() or result())


def position_text(text):
    if not re.fullmatch(r"0|[1-9][0-9]*", text):
        raise argparse.ArgumentTypeError("a position is a whole number in decimal digits")
    return int(text)


def main():
    parser = argparse.ArgumentParser(description="Verify the hash chain of a ledger.sqlite file.")
    parser.add_argument("file")
    parser.add_argument("--position", type=position_text, help="a receipt's position (GET /v1/audit/head)")
    parser.add_argument("--hash", help="that receipt's hash")
    args = parser.parse_args()
    if (args.position is None) != (args.hash is None):
        parser.error("a receipt is --position and --hash together")
    if args.hash is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", args.hash):
        parser.error("--hash is 64 hexadecimal digits")
    receipt = None if args.position is None else (args.position, args.hash.lower())
    if not pathlib.Path(args.file).is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        sys.exit(2)
    answer = verify(args.file, receipt)
    print(json.dumps(answer))
    sys.exit(0 if answer["ok"] else 1)


if __name__ == "__main__":
    main()
