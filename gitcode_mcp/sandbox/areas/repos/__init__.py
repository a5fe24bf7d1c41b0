"""Repositories: read one, create one (personal or in an organisation), fork one, and who works on it.

Shapes follow the reference examples in the reference's Users page (#6, #8) and Repositories page (#8, #9, #20,
#21, #22, #25, #26, #34, #35, #37, #38): integer repository ids (live), creates and forks answered sparsely, the
events list wrapped in `{"events", "has_next_page"}`, download statistics as a daily series with totals.
What is created here is in the world, so every other area sees it.
"""
