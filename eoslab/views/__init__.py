"""Pure functions from the cluster's state to what a learner sees: text, tables, figures."""

from .dump_log import dump_log_lines

__all__ = ["dump_log_lines"]
