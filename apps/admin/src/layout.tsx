import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { can } from './auth/roles';
import { useSessionContext, useSession } from './auth/session';
import { EnvironmentProvider, useCurrentEnvironment } from './environment/environment-context';
import { EnvironmentSwitcher } from './environment/environment-switcher';
import { RecoveryProvider } from './recovery/recovery-context';

/**
 * The frame of every page: a skip link, the navigation, the current environment, who is signed in,
 * and the page itself.
 */
export function Layout() {
  return (
    <EnvironmentProvider>
      <RecoveryProvider>
        <Frame />
      </RecoveryProvider>
    </EnvironmentProvider>
  );
}

function Frame() {
  // The sections' links carry the chosen environment (the provider would put it back otherwise).
  const { search } = useCurrentEnvironment();
  const { claims } = useSession();
  const { signOut } = useSessionContext();
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const firstPage = useRef(true);
  // A new page (not a filter change) moves focus to its content, as a full page load would, so
  // keyboard and screen-reader users start there instead of on the link they left.
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    main.current?.focus();
  }, [pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">LMP Admin</span>
        <nav aria-label="Admin sections">
          <NavLink to={{ pathname: '/webhooks', search }}>Webhooks</NavLink>
          <NavLink to={{ pathname: '/deliveries', search }}>Webhook Deliveries</NavLink>
          <NavLink to={{ pathname: '/settings', search }}>Settings</NavLink>
          {can(claims.role, 'read') && <NavLink to={{ pathname: '/audit', search }}>Audit</NavLink>}
        </nav>
        <EnvironmentSwitcher />
        <div className="who">
          <span>
            {claims.subject} <span className="role">({claims.role})</span>
          </span>
          <button type="button" className="button-link" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
