"""User code the plugin.json tests trace as method steps."""


class Pricing:
    @staticmethod
    def total(n):
        return helper(n) * 2


def helper(n):
    return n + 1
