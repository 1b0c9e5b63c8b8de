import { render } from "preact";
import "./visitor.css";
import "./afterChat.css";
import "./largeText.css";
import { App } from "./App";

const root = document.getElementById("app");
if (root) render(<App />, root);
