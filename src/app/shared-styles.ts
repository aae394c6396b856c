// The shared components' styles load with the shell, not with whichever lazy page first imports
// the component: a page that uses their classes directly (`input select` in the hitmap toolbar)
// must look the same on a direct load as after in-app navigation.
import '../components/banner.css';
import '../components/button.css';
import '../components/charts/charts.css';
import '../components/code-block.css';
import '../components/dialog.css';
import '../components/empty-state.css';
import '../components/form-field.css';
import '../components/lock-icon.css';
import '../components/menu.css';
import '../components/page.css';
import '../components/spinner.css';
import '../components/tabs.css';
