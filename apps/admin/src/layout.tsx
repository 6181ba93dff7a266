import { NavLink, Outlet } from 'react-router';
import { useSessionContext, useSession } from './auth/session';

/** The frame of every page: a skip link, the navigation, who is signed in, and the page itself. */
export function Layout() {
  const { claims } = useSession();
  const { signOut } = useSessionContext();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">LMP Admin</span>
        <nav aria-label="Admin sections">
          <NavLink to="/webhooks">Webhooks</NavLink>
          <NavLink to="/deliveries">Webhook Deliveries</NavLink>
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        <div className="who">
          <span>
            {claims.subject} <span className="role">({claims.role})</span>
          </span>
          <button type="button" className="button-link" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
