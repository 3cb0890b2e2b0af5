// Shared building blocks of the hosted pages: the card layout, labelled fields, live message regions, tabs and
// a submit button that shows progress. Everything is keyboard-usable and announced to screen readers.
import type { ComponentChildren, InputHTMLAttributes } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

/** The centred card every sign-in page uses. The heading takes focus on arrival so screen readers start there. */
export function AuthCard(props: { title: string; appName: string; children: ComponentChildren; footer?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · ${props.appName}`;
  }, [props.title, props.appName]);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main class="auth-shell">
      <div class="card">
        <p class="brand" aria-hidden="true">{props.appName}</p>
        <h1 ref={heading} tabIndex={-1}>{props.title}</h1>
        {props.children}
      </div>
      {props.footer && <nav class="card-footer" aria-label="Other pages">{props.footer}</nav>}
    </main>
  );
}

let fieldCounter = 0;

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "label" | "onInput" | "value">;

/** A labelled input; `hint` is read with the field through aria-describedby. */
export function Field(props: InputProps & { label: string; value: string; onValue: (value: string) => void; hint?: string }) {
  const { label, value, onValue, hint, id, ...rest } = props;
  const [generated] = useState(() => `field-${++fieldCounter}`);
  const inputId = (id as string | undefined) ?? generated;
  const hintId = hint ? `${inputId}-hint` : undefined;
  return (
    <div class="field">
      <label for={inputId}>{label}</label>
      <input
        id={inputId}
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        aria-describedby={hintId}
        {...rest}
      />
      {hint && <p class="hint" id={hintId}>{hint}</p>}
    </div>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (checked: boolean) => void; name?: string }) {
  return (
    <label class="checkbox">
      <input type="checkbox" name={props.name} checked={props.checked} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <span>{props.label}</span>
    </label>
  );
}

/**
 * Live regions that are always in the page (a region added together with its text is often not announced):
 * errors are assertive, confirmations polite.
 */
export function Messages(props: { error?: string | null; notice?: string | null }) {
  return (
    <>
      <div class={props.error ? "alert alert-error" : "alert-empty"} role="alert" aria-live="assertive" aria-atomic="true" data-testid="error">
        {props.error ?? ""}
      </div>
      <div class={props.notice ? "alert alert-notice" : "alert-empty"} role="status" aria-live="polite" aria-atomic="true" data-testid="notice">
        {props.notice ?? ""}
      </div>
    </>
  );
}

export function SubmitButton(props: { busy: boolean; children: ComponentChildren; variant?: "primary" | "secondary" }) {
  return (
    <button type="submit" class={`button ${props.variant ?? "primary"}`} disabled={props.busy} aria-busy={props.busy}>
      {props.busy ? "Please wait…" : props.children}
    </button>
  );
}

export interface TabDefinition {
  id: string;
  label: string;
}

/**
 * WAI-ARIA tabs: the active tab is the only one in the tab order, arrow keys/Home/End move between tabs, and the
 * panel is labelled by its tab.
 */
export function Tabs(props: { label: string; tabs: TabDefinition[]; active: string; onSelect: (id: string) => void; children: ComponentChildren }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const index = Math.max(0, props.tabs.findIndex((t) => t.id === props.active));
  const move = (to: number) => {
    const tab = props.tabs[(to + props.tabs.length) % props.tabs.length];
    props.onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "ArrowRight") move(index + 1);
    else if (e.key === "ArrowLeft") move(index - 1);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(props.tabs.length - 1);
    else return;
    e.preventDefault();
  };
  if (props.tabs.length < 2) return <>{props.children}</>;
  return (
    <div class="tabs">
      <div role="tablist" aria-label={props.label} class="tablist" onKeyDown={onKeyDown}>
        {props.tabs.map((tab) => (
          <button
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === props.active}
            aria-controls={`panel-${tab.id}`}
            tabIndex={tab.id === props.active ? 0 : -1}
            ref={(el) => { refs.current[tab.id] = el; }}
            onClick={() => props.onSelect(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${props.active}`} aria-labelledby={`tab-${props.active}`} tabIndex={0} class="tabpanel">
        {props.children}
      </div>
    </div>
  );
}

/**
 * Runs a form action with a busy flag and an error message; the previous message is cleared first so a repeated
 * failure is announced again.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (action: () => Promise<string | void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const failure = await action();
      if (failure) setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, notice, setError, setNotice, run };
}

/** Prevents the browser's own submission and runs the handler. */
export const onSubmit = (handler: () => void) => (e: Event) => {
  e.preventDefault();
  handler();
};
