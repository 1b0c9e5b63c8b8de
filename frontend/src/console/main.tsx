import { render } from "preact";
import "./console.css";
import "./duty.css";
import "./admin/admin.css";
import "./outreach/outreach.css";
import "./outreach/charts.css";
import "./privacy.css";
import "./resources/resources.css";
import "./report/report.css";
import { App } from "./App";

const root = document.getElementById("app");
if (root) render(<App />, root);
