"""Data: SQL and analysis."""

from apps.prompts.demo_content.definitions import DemoPrompt, Revision

AB_READOUT_V1 = """\
Write up the results of our A/B test.

{{results}}"""

AB_READOUT_V2 = """\
Write up the results of the A/B test "{{test_name}}" for the product team.

Results table:
{{results}}

Say which variant won on {{primary_metric}}, by how much, and with what confidence interval.
Mention guardrail metrics that moved."""

AB_READOUT_V3 = """\
Write up the results of the A/B test "{{test_name}}" for the product team.

Results table:
{{results}}

1. Say which variant won on {{primary_metric}}, by how much, and give the 95% confidence
   interval. If the interval crosses zero, say plainly that we can't tell.
2. Mention every guardrail metric that moved, even if it moved the wrong way.
3. Check the sample ratio: if the split is off by more than 1%, warn before anything else.
4. Recommend ship, iterate or stop, in one sentence, and what you would test next."""

AB_READOUT_V4 = """\
Write up the results of the A/B test "{{test_name}}" for the product team.

Results table:
{{results}}

1. Say which variant won on {{primary_metric}}, by how much, and give the 95% confidence
   interval. If the interval crosses zero, say plainly that we can't tell.
2. Mention every guardrail metric that moved, even if it moved the wrong way.
3. Check the sample ratio: if the split is off by more than 1%, warn before anything else.
4. Recommend ship, iterate or stop, in one sentence, and what you would test next.

Write for readers who are not statisticians: no p-values in the first paragraph, and a
one-line summary at the top they can paste into Slack."""

PROMPTS = (
    DemoPrompt(
        name="Explain a slow query plan",
        description="Reads EXPLAIN ANALYZE output and proposes fixes.",
        folder="data/sql",
        tags=("data", "engineering"),
        model="o3",
        content="""\
This PostgreSQL query is slow:

{{query}}

EXPLAIN (ANALYZE, BUFFERS) output:
{{plan}}

Point to the node where most time goes and explain why (estimates far off, sequential scan,
sort spilling to disk, nested loop over many rows). Propose fixes in order of effort: query
rewrite, index (give the CREATE INDEX), statistics, configuration. Say how to verify each.""",
    ),
    DemoPrompt(
        name="dbt model from a spec",
        description="A tested dbt model from a written definition of a metric.",
        folder="data/sql",
        tags=("data",),
        model="claude-sonnet-4",
        content="""\
Write a dbt model for this metric:

Definition: {{metric_definition}}
Source tables: {{source_tables}}
Grain: one row per {{grain}}

Give the SQL model using CTEs (import, logic, final), the schema.yml with descriptions and
tests (unique, not_null, accepted_values where they fit), and one sentence on how the model
handles late-arriving data.""",
    ),
    DemoPrompt(
        name="Summarise a CSV extract",
        description="First look at an unfamiliar dataset.",
        folder="data/analysis",
        tags=("data",),
        model="gpt-4.1",
        content="""\
Here are the first rows of a CSV export from {{source_system}}:

{{csv_sample}}

Describe each column: likely meaning, type, and anything suspicious (mixed formats, empty
values, outliers, IDs that look like numbers). Then list three questions this data could
answer and three it can't, and what we would need to clean before analysing it.""",
    ),
    DemoPrompt(
        name="Choose the right chart",
        description="Picks a chart for a message, and says what to avoid.",
        folder="data/analysis",
        tags=("data", "writing"),
        model="gemini-2.5-flash",
        content="""\
I want to show {{audience}} that {{message}}.

The data: {{data_description}}

Recommend one chart type and explain why it fits this message. Specify axes, sort order,
what to highlight, and the title as a sentence stating the finding. Name one chart type
that would mislead here and why.""",
    ),
    DemoPrompt(
        name="A/B test readout",
        description="Results written for people who will act on them.",
        folder="data/analysis",
        tags=("data", "product", "favourite"),
        model="claude-opus-4",
        content=AB_READOUT_V1,
        revisions=(
            Revision(AB_READOUT_V2, "Name the test, the metric and the confidence interval"),
            Revision(
                AB_READOUT_V3, "Check sample ratio first; end with a recommendation", by_editor=True
            ),
            Revision(AB_READOUT_V4, "Add a one-line summary for people who skim"),
        ),
    ),
    DemoPrompt(
        name="Retention cohort commentary",
        description="The story behind a cohort table, in a few sentences.",
        folder="data/analysis",
        tags=("data", "product"),
        model="gpt-5",
        content="""\
Here is our monthly retention cohort table for {{product}}:

{{cohort_table}}

Write five sentences of commentary for the monthly business review: the overall trend, the
best and worst cohorts with a plausible reason for each (we shipped: {{changes}}), and
what we should look into next. Don't claim causes the data can't show; say "may" where you
are guessing.""",
    ),
)
