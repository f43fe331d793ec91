import { useConsole } from '../store/use-console.js';
import { NAV_ITEMS } from './nav-items.js';
import { href } from './router.js';

export function Nav({ current }: { current: string }) {
  const info = useConsole((s) => s.session.info);
  const groups = [...new Set(NAV_ITEMS.map((i) => i.group))];
  return (
    <nav className="sidebar" aria-label="Screens" data-testid="nav">
      <div className="sidebar-brand">Pingdesk</div>
      {groups.map((group) => (
        <div key={group} role="group" aria-label={group}>
          <div className="sidebar-group">{group}</div>
          {NAV_ITEMS.filter((i) => i.group === group).map((item) => {
            const active = item.route === current || item.also?.includes(current);
            return (
              <a key={item.route} className="nav-item" href={href(item.route)} aria-current={active ? 'page' : undefined} data-testid={`nav-${item.route}`} title={`g then ${item.key}`}>
                <span>{item.label}</span>
                <span className="nav-key" aria-hidden="true">
                  g {item.key}
                </span>
              </a>
            );
          })}
        </div>
      ))}
      {info && (
        <div className="sidebar-foot">
          v{info.version} · {info.mode}
          {info.intakeUrl && <div title="Intake listener">{info.intakeUrl}</div>}
        </div>
      )}
    </nav>
  );
}
