import AdminPage from '../../features/admin/routes/admin-page';
import { useMe } from '../../features/auth/api/get-me';

/** Administration, told who is signed in so it offers no action on one's own account. */
export default function AdminRoute() {
  const me = useMe();
  return <AdminPage currentUserId={me.data?.id} />;
}
