"""The red-team suite: each attack of issue 12 run against a real server, and the defence it meets."""
