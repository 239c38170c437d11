"""Named, scripted scenarios a lab, the CLI or a test can replay step for step."""

from .book import peter_test05

__all__ = ["peter_test05"]
