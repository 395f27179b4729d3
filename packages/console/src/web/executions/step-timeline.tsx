import type { Step } from "../api/client.js";
import { ErrorView } from "../components/error-view.js";
import { JsonView } from "../components/json-view.js";
import { StatusBadge } from "../components/status-badge.js";
import { formatDuration, Time } from "../components/time.js";

/** The execution's steps in the order the task reached them, each with its timing and outcome. */
export function StepTimeline({ steps, onRerun }: { steps: Step[]; onRerun?: (step: Step) => void }) {
  if (steps.length === 0) return <p class="muted">No step has run yet.</p>;
  return (
    <ol class="timeline">
      {steps.map((step, index) => (
        // Step names are unique within an execution (a repeated name gets `#n`).
        <li key={step.name} class={`timeline-step timeline-${step.status}`}>
          <div class="timeline-head">
            <span class="muted">{index + 1}.</span>
            <strong class="step-name">{step.name}</strong>
            <span class="step-kind">{step.kind}</span>
            <StatusBadge status={step.status} />
            <span title="attempts">
              {step.attempts} {step.attempts === 1 ? "attempt" : "attempts"}
            </span>
            <span title="duration">{formatDuration(step.started_at, step.completed_at)}</span>
            {onRerun ? (
              <button type="button" class="step-action" onClick={() => onRerun(step)}>
                Rerun from this step…
              </button>
            ) : null}
          </div>
          <dl class="facts">
            <dt>started</dt>
            <dd>
              <Time iso={step.started_at} />
            </dd>
            <dt>finished</dt>
            <dd>
              <Time iso={step.completed_at} />
            </dd>
            {step.wake_at ? (
              <>
                <dt>{wakeLabel(step)}</dt>
                <dd>
                  <Time iso={step.wake_at} />
                </dd>
              </>
            ) : null}
          </dl>
          {step.error ? <ErrorView error={step.error} /> : null}
          {step.result !== undefined ? <JsonView label="result" value={step.result} /> : null}
        </li>
      ))}
    </ol>
  );
}

function wakeLabel(step: Step): string {
  if (step.kind === "sleep") return "sleeps until";
  if (step.kind === "event") return "gives up waiting at";
  return "next retry at";
}
