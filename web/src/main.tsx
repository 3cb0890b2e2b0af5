// Entry point of every hosted page: reads the configuration the server injected and renders that page.
import { render } from "preact";
import { setApiBase } from "./api";
import { readConfig, type PageConfig } from "./config";
import { ConsoleApp } from "./console/ConsoleApp";
import { AcceptInvitation } from "./pages/AcceptInvitation";
import { ForgotPassword } from "./pages/ForgotPassword";
import { Passkeys } from "./pages/Passkeys";
import { ResetPassword } from "./pages/ResetPassword";
import { SignIn } from "./pages/SignIn";
import { SignUp } from "./pages/SignUp";
import { TwoFactor } from "./pages/TwoFactor";
import { VerifyEmail } from "./pages/VerifyEmail";
import "./styles.css";

function Page(props: { config: PageConfig }) {
  const { config } = props;
  switch (config.page) {
    case "sign-in": return <SignIn config={config} />;
    case "sign-up": return <SignUp config={config} />;
    case "two-factor": return <TwoFactor config={config} />;
    case "forgot-password": return <ForgotPassword config={config} />;
    case "reset-password": return <ResetPassword config={config} />;
    case "verify-email": return <VerifyEmail config={config} />;
    case "accept-invitation": return <AcceptInvitation config={config} />;
    case "console": return <ConsoleApp config={config} />;
    case "passkeys": return <Passkeys config={config} />;
    default: return <main class="auth-shell"><div class="card"><h1>Page not found</h1></div></main>;
  }
}

const config = readConfig();
setApiBase(config.basePath);
render(<Page config={config} />, document.getElementById("app")!);
