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


SERVE_HELP = """Serve an embedded eoslab cluster on the Kafka protocol, so confluent-kafka,
kafka-python and aiokafka clients connect to it.

Binding: 127.0.0.1 only (--host accepts 127.0.0.1, localhost or ::1). The cluster has no
authentication: anyone who can connect can read and write every topic. For a classroom server,
--allow-remote permits another --host (e.g. 0.0.0.0), and --advertised-host names the host
clients are told to connect to.

Clock: with --clock wall (the default) the cluster's virtual clock starts at the wall time, in
epoch ms like the timestamps clients send, and follows the wall clock, so transaction.timeout.ms
aborts open transactions, session.timeout.ms expels members whose process died and
producer.id.expiration.ms forgets idle producers, as on Kafka. With --clock manual time starts at
0 (or --start-ms MS, epoch ms) and stands still until you type, on stdin:
  advance MS   move the clock MS milliseconds forward (timeouts fall due on the way)
  time         print the cluster's virtual time in ms
  quit         stop the server
(the same commands work with --clock wall). Every clock step is a journal event.
"""


def _parse_config(pairs: list[str]) -> dict:
    """--config KEY=VALUE pairs as broker settings, typed like Kafka's defaults."""
    from .broker.config import DEFAULTS

    config: dict = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or name not in DEFAULTS:
            raise SystemExit(f"eoslab serve: unknown broker setting {pair!r}")
        kind = type(DEFAULTS[name])
        if kind is bool:
            config[name] = text.strip().lower() in ("1", "true", "yes")
        else:
            try:
                config[name] = kind(text)
            except ValueError:
                raise SystemExit(f"eoslab serve: {name} needs a {kind.__name__}") from None
    return config


def _serve_commands(server: object, stream: object, done: object) -> None:
    """Read clock commands from stdin until EOF or `quit` (a daemon thread of `eoslab serve`)."""
    for line in stream:  # type: ignore[attr-defined]
        words = line.split()
        if not words:
            continue
        try:
            if words[0] == "advance" and len(words) == 2:
                server.advance(int(words[1]))  # type: ignore[attr-defined]
                print(f"time {server.now_ms()} ms", flush=True)  # type: ignore[attr-defined]
            elif words[0] == "time":
                print(f"time {server.now_ms()} ms", flush=True)  # type: ignore[attr-defined]
            elif words[0] == "quit":
                break
            else:
                print("commands: advance MS | time | quit", flush=True)
        except ValueError as e:
            print(f"error: {e}", flush=True)
    else:
        return  # stdin closed: keep serving (e.g. started with </dev/null)
    done.set()  # type: ignore[attr-defined]


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


SERVING_GC_THRESHOLD = 10_000  # allocations between young collections (Python's default: 700)


def _collect_for_serving() -> None:
    """Tune the cyclic garbage collector of a process that only serves. Every request leaves
    long-lived objects behind (the log's batches, the journal's events, the recorded request),
    so at the default threshold the collector runs every few requests, and each run of the
    older generation walks all of them again: 2-6 ms of pauses in a benchmark's 40 transactions,
    ~1 ms at a time. Collected once here, the objects of the start-up are frozen (never walked
    again), and a young collection runs every 10,000 allocations instead of 700."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(SERVING_GC_THRESHOLD, 10, 10)


def _serve(args: argparse.Namespace) -> int:
    import threading

    from . import Cluster
    from .wire import WireServer

    try:
        cluster = Cluster(brokers=args.brokers, seed=args.seed, config=_parse_config(args.config))
    except ValueError as e:
        print(f"eoslab serve: {e}", file=sys.stderr)
        return 2
    try:
        server = WireServer(
            cluster,
            args.host,
            args.port,
            clock=args.clock,
            tick_ms=args.tick_ms,
            start_ms=args.start_ms,
            allow_remote=args.allow_remote,
            advertised_host=args.advertised_host,
        ).start()
    except ValueError as e:
        print(f"eoslab serve: {e}", file=sys.stderr)
        return 2
    try:
        for spec in args.topic:  # after the clock started; no client knows the port yet
            name, _, partitions = spec.partition(":")
            cluster.create_topics([(name, int(partitions or 1), 1)])
    except ValueError as e:
        server.stop()
        print(f"eoslab serve: --topic {spec}: {e}", file=sys.stderr)
        return 2
    _collect_for_serving()
    print(
        f"eoslab cluster serving the Kafka protocol on {server.bootstrap_servers} "
        f"(clock: {args.clock})",
        flush=True,
    )
    done = threading.Event()
    threading.Thread(
        target=_serve_commands, args=(server, sys.stdin, done), daemon=True, name="eoslab-stdin"
    ).start()
    try:
        done.wait(args.seconds)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    """Real-cluster mode from the command line: partitions, then each partition's log dump."""
    from .real import snapshot
    from .views import dump_log_lines, partitions

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
        "serve",
        help="serve an embedded cluster on the Kafka protocol (127.0.0.1 only unless "
        "--allow-remote)",
        description=SERVE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--port", type=int, default=0, help="first port (0: any free port)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to bind: 127.0.0.1 (default), localhost or ::1; others need --allow-remote",
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host (no authentication: anyone who connects can read "
        "and write every topic)",
    )
    serve.add_argument(
        "--advertised-host", default=None, help="host name clients are told to connect to"
    )
    serve.add_argument(
        "--clock",
        choices=("wall", "manual"),
        default="wall",
        help="wall: virtual time follows the wall clock (timeouts fire as on Kafka); manual: "
        "time moves only on the stdin command 'advance MS'",
    )
    serve.add_argument(
        "--tick-ms", type=int, default=100, help="with --clock wall, advance every this many ms"
    )
    serve.add_argument(
        "--start-ms",
        type=int,
        default=None,
        metavar="MS",
        help="start the clock at this time (epoch ms); default: the wall time with --clock "
        "wall, 0 with --clock manual",
    )
    serve.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="broker setting, repeatable (e.g. transaction.max.timeout.ms=60000)",
    )
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
