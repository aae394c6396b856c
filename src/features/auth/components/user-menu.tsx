import { useNavigate } from 'react-router';
import { paths } from '../../../lib/paths';
import { Menu } from '../../../components/menu';
import { useMe } from '../api/get-me';
import { useSignOut } from '../api/sign-out';
import { useSignOutEverywhere } from '../api/sign-out-everywhere';

/**
 * The signed-in user's name, Sign out and Sign out everywhere (every browser and device, for
 * a lost laptop or a shared computer), at the right of the top bar.
 */
export function UserMenu() {
  const me = useMe();
  const signOut = useSignOut();
  const everywhere = useSignOutEverywhere();
  const busy = signOut.isPending || everywhere.isPending;
  const navigate = useNavigate();
  const username = me.data?.username ?? '';
  const done = (close: () => void) => {
    close();
    navigate(paths.login, { replace: true });
  };

  return (
    <Menu
      align="right"
      triggerLabel={`Account: ${username}`}
      trigger={
        <>
          <span className="avatar" aria-hidden="true">
            {username.slice(0, 1).toUpperCase()}
          </span>
          <span className="user-menu-name">{username}</span>
        </>
      }
    >
      {(close) => (
        <div role="menu" aria-label="Account">
          <div className="menu-note">
            Signed in as <strong>{username}</strong>
            {me.data?.admin && <> · administrator</>}
          </div>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            disabled={busy}
            onClick={() => signOut.mutate(undefined, { onSuccess: () => done(close) })}
          >
            {signOut.isPending ? 'Signing out…' : 'Sign out'}
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            title="Ends your sessions in every browser and on every device, this one included"
            disabled={busy}
            onClick={() => everywhere.mutate(undefined, { onSuccess: () => done(close) })}
          >
            {everywhere.isPending ? 'Signing out everywhere…' : 'Sign out everywhere'}
          </button>
          {(signOut.isError || everywhere.isError) && <p className="menu-note">Sign out failed. Try again.</p>}
        </div>
      )}
    </Menu>
  );
}
