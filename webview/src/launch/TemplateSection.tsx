// The workspace's run templates, offered above the presets: picking one fills the whole form with its settings and
// leaves its variables (the datasets) for the user, pre-filled where the template gives a default.
import type { TemplateEntry } from '../../../src/shared/launchProtocol';
import { Field, Select } from './Fields';

export function TemplateSection(props: { templates: TemplateEntry[]; chosen: string | null; onPick: (entry: TemplateEntry) => void }) {
  const { templates, chosen } = props;
  if (templates.length === 0) return null;
  const usable = templates.filter((t) => t.problem === undefined);
  const broken = templates.filter((t) => t.problem !== undefined);
  const entry = templates.find((t) => t.path === chosen);
  const toFill = entry ? entry.variables.filter((v) => v.default === null) : [];
  return (
    <section className="br-section" data-testid="templates">
      <h2>Template</h2>
      <div className="br-fields">
        <Field id="template" label="Start from" help="A run saved as a template: its settings fill the form, the data is yours to pick.">
          <Select
            id="template"
            value={entry ? entry.path : ''}
            options={[
              { value: '', label: usable.length === 0 ? 'No usable template' : 'No template' },
              ...usable.map((t) => ({ value: t.path, label: t.name, description: t.label })),
            ]}
            onChange={(value) => {
              const picked = usable.find((t) => t.path === value);
              if (picked) props.onPick(picked);
            }}
          />
        </Field>
        {entry && (
          <div className="br-field" data-testid="template-note">
            <div className="br-field-label">
              <span className="codicon codicon-file-symlink-file" aria-hidden="true" /> {entry.name}
            </div>
            {entry.description !== null && <div className="br-field-help">{entry.description}</div>}
            {toFill.length > 0 ? (
              <ul className="br-checks">
                {toFill.map((v) => (
                  <li key={v.name}>
                    <strong>{v.name}</strong> <span className="br-muted">{v.description ?? 'to fill in'}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <div className="br-field-help">Every variable has a default: check the values and launch.</div>
            )}
          </div>
        )}
      </div>
      {broken.map((t) => (
        <div key={t.path} className="br-field-help br-warning-text" data-testid="template-problem">
          <span className="codicon codicon-warning" aria-hidden="true" /> {t.label}: not offered ({t.problem})
        </div>
      ))}
    </section>
  );
}
