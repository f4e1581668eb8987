"""The crew's CrewAI flows: plan a campaign, analyse performance, write copy, answer."""
