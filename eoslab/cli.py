"""`eoslab`: the labs in JupyterLab, the book's demo, a served cluster, a real cluster's snapshot."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from pathlib import Path

DEFAULT_LABS_DIR = "eoslab-labs"


def _demo(args: argparse.Namespace) -> int:
    from .scenarios import peter_test05
    from .views import dump_log_lines

    cluster, printed = peter_test05()
    print("Journal:")
    for line in cluster.journal.lines():
        print(" ", line)
    print()
    for line in dump_log_lines(cluster.partition("peter-test05", 0)):
        print(line)
    print()
    print(f"read_committed consumer printed offsets {printed}: offsets 1 and 3 are COMMIT markers")
    return 0


def _bundled_labs() -> Path:
    """The labs shipped with eoslab: in the wheel as `eoslab/_labs`, in a checkout as `labs/`."""
    packaged = Path(__file__).resolve().parent / "_labs"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[1] / "labs"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("eoslab's labs are missing from this installation")


def _lab_files(root: Path) -> list[Path]:
    return sorted(
        path.relative_to(root)
        for path in root.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )


def copy_labs(target: Path, *, reset: bool = False) -> tuple[list[Path], Path | None]:
    """Copy the bundled labs into `target`; returns (files copied, backup folder or None).

    A lab already in `target` is the learner's and is never overwritten, so a lab added in a
    newer eoslab still arrives. `reset` first moves `target` aside to `target.backup-N` and then
    copies every lab afresh.
    """
    source = _bundled_labs()
    if target.resolve() == source.resolve():
        if reset:
            raise SystemExit(f"{target} holds eoslab's own labs; refresh them with git instead")
        return [], None
    backup = None
    if reset and target.exists():
        n = 1
        while (backup := target.with_name(f"{target.name}.backup-{n}")).exists():
            n += 1
        target.rename(backup)
    copied = []
    for relative in _lab_files(source):
        destination = target / relative
        if not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / relative, destination)
            copied.append(relative)
    return copied, backup


def jupyter_lab_command(labs: Path, jupyter_args: list[str]) -> list[str]:
    """JupyterLab from the interpreter running eoslab, so the kernel sees this eoslab.

    JupyterLab refuses to run as root without --allow-root (containers, Binder-like images).
    """
    command = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={labs}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in jupyter_args:
        command.append("--allow-root")
    return [*command, *jupyter_args]


def _lab(args: argparse.Namespace) -> int:
    labs = Path(args.dir)
    copied, backup = copy_labs(labs, reset=args.reset)
    if backup is not None:
        print(f"your previous labs are kept in {backup}")
    if copied:
        print(f"copied {len(copied)} labs into {labs}")
    else:
        print(f"using the labs in {labs} (your edits are kept; --reset starts afresh)")
    command = jupyter_lab_command(labs, args.jupyter_args)
    if args.dry_run:
        print(shlex.join(command))
        return 0
    sys.stdout.flush()
    os.execv(command[0], command)
    return 0  # not reached


def _lab_arguments(parsed: argparse.Namespace, extra: list[str]) -> None:
    """DIR is the first argument after `lab` (besides --reset and --dry-run); the rest, in
    order, goes to JupyterLab, so its options work with or without `=` (`--port 8890`)."""
    if extra and extra[0] == "--":
        extra = extra[1:]
    if extra and not extra[0].startswith("-"):
        parsed.dir, extra = extra[0], extra[1:]
    else:
        parsed.dir = DEFAULT_LABS_DIR
    parsed.jupyter_args = [a for a in extra if a != "--"]


def _serve(args: argparse.Namespace) -> int:
    import time

    from . import Cluster
    from .wire import WireServer

    cluster = Cluster(brokers=args.brokers, seed=args.seed)
    for spec in args.topic:
        name, _, partitions = spec.partition(":")
        cluster.create_topics([(name, int(partitions or 1), 1)])
    server = WireServer(cluster, "127.0.0.1", args.port).start()
    print(f"eoslab cluster serving the Kafka protocol on {server.bootstrap_servers}", flush=True)
    try:
        deadline = None if args.seconds is None else time.monotonic() + args.seconds
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    """Real-cluster mode from the command line: partitions, then each partition's log dump."""
    from .views import dump_log_lines, partitions
    from .wire import snapshot

    snap = snapshot(
        args.bootstrap_servers, args.topic or None, internal=args.internal, timeout_s=args.timeout
    )
    print(snap)
    print(partitions(snap, internal=args.internal).to_string(index=False))
    for name in snap.list_topics(internal=args.internal):
        for p in snap.topics[name].partitions:
            print()
            for line in dump_log_lines(p):
                print(line)
            for note in p.notes:
                print(f"note: {note}")
    for what, why in snap.unavailable.items():
        print(f"unavailable: {what}: {why}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eoslab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the book's peter-test05 scenario and print the log")
    demo.set_defaults(run=_demo)
    lab = sub.add_parser(
        "lab",
        help="copy the labs into DIR (if not there yet) and start JupyterLab on them",
        usage="eoslab lab [DIR] [--reset] [--dry-run] [JupyterLab arguments ...]",
        allow_abbrev=False,  # a JupyterLab option must not pass for an abbreviation of ours
        description=f"Copy the labs into DIR (default: ./{DEFAULT_LABS_DIR}) when they are not "
        "there yet (a learner's edits are never overwritten) and start JupyterLab on DIR. DIR "
        "comes first; every other argument goes to JupyterLab, e.g. "
        "`eoslab lab my-course --no-browser --port 8890`.",
    )
    lab.add_argument(
        "--reset", action="store_true", help="move DIR aside (DIR.backup-N) and copy afresh"
    )
    lab.add_argument(
        "--dry-run", action="store_true", help="copy the labs, print the JupyterLab command"
    )
    lab.set_defaults(run=_lab)
    serve = sub.add_parser(
        "serve", help="serve an embedded cluster on the Kafka protocol (127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=0, help="first port (0: any free port)")
    serve.add_argument("--brokers", type=int, default=1)
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument("--topic", action="append", default=[], help="NAME[:PARTITIONS], repeatable")
    serve.add_argument("--seconds", type=float, default=None, help="stop after this long")
    serve.set_defaults(run=_serve)
    snap = sub.add_parser(
        "snapshot",
        help="read a real Kafka cluster once (read-only) and print its partitions and logs",
    )
    snap.add_argument("bootstrap_servers", help="HOST:PORT[,HOST:PORT...]")
    snap.add_argument("--topic", action="append", default=[], help="repeatable; default: all")
    snap.add_argument(
        "--internal", action="store_true", help="also __transaction_state, __consumer_offsets"
    )
    snap.add_argument("--timeout", type=float, default=30.0, help="seconds for the whole read")
    snap.set_defaults(run=_snapshot)
    args, extra = parser.parse_known_args(argv)
    if args.command == "lab":
        _lab_arguments(args, extra)
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
