package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/signin"
	"github.com/idcenter/idcenter/internal/store"
)

// newSettingsAdmin returns the admin commands about the instance's sign-in settings.
func newSettingsAdmin() []*cobra.Command {
	return []*cobra.Command{newMFASettings(), newSessionSettings()}
}

func printSettings(out io.Writer, s signin.Settings) {
	noDevice := map[string]string{store.MFANoDeviceRegister: "register", store.MFANoDeviceBlock: "block", store.MFANoDeviceAllow: "allow"}[s.NoDevice]
	mode := map[string]string{store.MFAAlways: "always", store.MFAContextChange: "context-change", store.MFANever: "never"}[s.Mode]
	types := make([]string, len(s.Types))
	for i, t := range s.Types {
		types[i] = strings.ToLower(t)
	}
	fmt.Fprintf(out, "mode: %s\ntypes: %s\nno-device: %s\nusers-manage-devices: %t\nportal-session: %s\n", mode, strings.Join(types, ","), noDevice,
		!s.DevicesAdminOnly, s.SessionDuration)
}

func newMFASettings() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var mode, types, noDevice string
	var manage bool
	cmd := &cobra.Command{
		Use:   "mfa-settings [--mode always|context-change|never] [--types totp,webauthn] [--no-device register|block|allow] [--users-manage-devices=true|false]",
		Short: "Show or change when the web access portal asks for MFA, which MFA types users may use, and what happens to users without a device",
		Long: `Show (without flags) or change the instance's MFA settings, as the IAM Identity
Center console's Authentication settings have them:

  --mode always          every sign-in asks for MFA (the default)
  --mode context-change  only a sign-in from a browser the user has not passed MFA
                         in (no remembered-browser cookie, or another user agent or
                         IP address) asks for MFA; a browser is remembered 30 days
  --mode never           no MFA
  --types totp,webauthn  the MFA types users may register and use: authenticator
                         apps (totp) and security keys or passkeys (webauthn)
  --no-device register   a user without a device registers one at sign-in (default)
  --no-device block      a user without a device cannot sign in (an administrator
                         can give them a device with reset-mfa and a new sign-in)
  --no-device allow      a user without a device signs in with the password alone
  --users-manage-devices=true   users register and delete their own MFA devices on
                         the portal's MFA devices page (/start/mfa-devices; the
                         default, as AWS's "Users can add and manage their own MFA
                         devices")
  --users-manage-devices=false  the page only lists a user's devices; an
                         administrator resets them (reset-mfa)

The change takes effect at the next sign-in step, also while the server runs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, svc, err := openSignIn(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			cur, err := svc.MFASettings(cmd.Context())
			if err != nil {
				return err
			}
			f := cmd.Flags()
			if f.Changed("mode") || f.Changed("types") || f.Changed("no-device") || f.Changed("users-manage-devices") {
				if f.Changed("users-manage-devices") {
					cur.DevicesAdminOnly = !manage
				}
				if f.Changed("mode") {
					m, ok := map[string]string{"always": store.MFAAlways, "context-change": store.MFAContextChange, "never": store.MFANever}[strings.ToLower(mode)]
					if !ok {
						return fmt.Errorf("--mode %q: want always, context-change or never", mode)
					}
					cur.Mode = m
				}
				if f.Changed("types") {
					cur.Types = nil
					for _, t := range strings.Split(types, ",") {
						if t = strings.TrimSpace(t); t != "" {
							cur.Types = append(cur.Types, strings.ToUpper(t))
						}
					}
					if len(cur.Types) == 0 {
						return fmt.Errorf("--types: name at least one of totp, webauthn")
					}
				}
				if f.Changed("no-device") {
					n, ok := map[string]string{"register": store.MFANoDeviceRegister, "block": store.MFANoDeviceBlock, "allow": store.MFANoDeviceAllow}[strings.ToLower(noDevice)]
					if !ok {
						return fmt.Errorf("--no-device %q: want register, block or allow", noDevice)
					}
					cur.NoDevice = n
				}
				if err := svc.SetMFASettings(cmd.Context(), cur); err != nil {
					return err
				}
				if cur, err = svc.MFASettings(cmd.Context()); err != nil {
					return err
				}
			}
			printSettings(cmd.OutOrStdout(), cur)
			return nil
		},
	}
	cfg.BindStore(cmd.Flags())
	cmd.Flags().StringVar(&mode, "mode", "", "when to ask for MFA: always, context-change or never")
	cmd.Flags().StringVar(&types, "types", "", "allowed MFA types, comma-separated: totp, webauthn")
	cmd.Flags().StringVar(&noDevice, "no-device", "", "users without a device: register, block or allow")
	cmd.Flags().BoolVar(&manage, "users-manage-devices", true, "users may register and delete their own MFA devices in the portal: true or false")
	return cmd
}

func newSessionSettings() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var portal time.Duration
	cmd := &cobra.Command{
		Use:   "session-settings [--portal-session 8h]",
		Short: "Show or change how long a web access portal sign-in lasts (15m to 2160h, 8h by default)",
		Long: `Show (without flags) or change the lifetime of a web access portal session, as
the IAM Identity Center console's "Configure session duration" has it: from
15 minutes to 90 days (2160h), 8 hours by default. New sign-ins get the new
lifetime; sessions already signed in keep theirs. The AWS CLI's sso-oidc
tokens issued in a session last an hour and are refreshed until it ends.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, svc, err := openSignIn(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			cur, err := svc.MFASettings(cmd.Context())
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("portal-session") {
				cur.SessionDuration = portal
				if err := svc.SetMFASettings(cmd.Context(), cur); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "portal-session: %s\n", cur.SessionDuration)
			return nil
		},
	}
	cfg.BindStore(cmd.Flags())
	cmd.Flags().DurationVar(&portal, "portal-session", 0, "the portal session's lifetime (15m to 2160h)")
	return cmd
}
