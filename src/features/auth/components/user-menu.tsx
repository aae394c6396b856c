import { useNavigate } from 'react-router';
import { paths } from '../../../app/paths';
import { Menu } from '../../../components/menu';
import { useMe } from '../api/get-me';
import { useSignOut } from '../api/sign-out';

/** The signed-in user's name and the Sign out action, at the right of the top bar. */
export function UserMenu() {
  const me = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const username = me.data?.username ?? '';

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
            disabled={signOut.isPending}
            onClick={() =>
              signOut.mutate(undefined, {
                onSuccess: () => {
                  close();
                  navigate(paths.login, { replace: true });
                },
              })
            }
          >
            {signOut.isPending ? 'Signing out…' : 'Sign out'}
          </button>
          {signOut.isError && <p className="menu-note">Sign out failed. Try again.</p>}
        </div>
      )}
    </Menu>
  );
}
