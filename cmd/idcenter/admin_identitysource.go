package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/core/federation"
	"github.com/idcenter/idcenter/internal/store"
)

func newIdentitySource() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var metadata, spURL, userNameAttr string
	var identityStore, allowIdPInitiated bool
	cmd := &cobra.Command{
		Use:   "identity-source [--saml-metadata FILE|URL [--sp-url URL] [--allow-idp-initiated] [--user-name-attribute NAME] | --identity-store]",
		Short: "Show or set where users sign in: the identity store (passwords) or an external SAML 2.0 IdP",
		Long: `Without flags, print the instance's identity source and, for an external
IdP, the service provider values the IdP needs (entity id / audience, ACS URL,
SP metadata URL).

--saml-metadata makes an external SAML 2.0 identity provider (Okta, Entra ID,
...) the identity source, from its metadata file or URL: users then sign in
at the IdP, whose NameID must equal their identity store user name (users are
usually provisioned over SCIM); passwords and idcenter's own MFA are not used.
--sp-url is idcenter's external URL (scheme://host[:port]) the entity id and
ACS URL are built from; without it the server's own listen URL is used.
--user-name-attribute matches the value of that assertion attribute (its Name
or FriendlyName) to the user name instead of the NameID, for IdPs that send a
persistent or transient NameID. An http(s) metadata URL is fetched again by
the server (daily, and on a key rollover).
--identity-store switches back. Every portal session ends when the source
changes. Works while the server runs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if metadata != "" && identityStore {
				return errors.New("give --saml-metadata or --identity-store, not both")
			}
			if metadata == "" && (spURL != "" || allowIdPInitiated || userNameAttr != "") {
				return errors.New("--sp-url, --allow-idp-initiated and --user-name-attribute go with --saml-metadata")
			}
			if err := config.ValidatePublicURL(cfg.PublicURL); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, svc, err := app.OpenFederation(ctx, cfg, cfg.BaseURL()) // --public-url when set
			if err != nil {
				return err
			}
			defer st.Close()
			var src federation.Source
			switch {
			case metadata != "":
				md, err := app.ReadSAMLMetadata(ctx, metadata)
				if err != nil {
					return err
				}
				src, err = svc.SetExternalSAML(ctx, federation.ExternalSAML{Metadata: md, MetadataSource: metadata, SPBaseURL: spURL,
					AllowIdPInitiated: allowIdPInitiated, UserNameAttribute: userNameAttr})
				if err != nil {
					return err
				}
			case identityStore:
				if src, err = svc.SetIdentityStore(ctx); err != nil {
					return err
				}
			default:
				if src, err = svc.Get(ctx); err != nil {
					return err
				}
			}
			printIdentitySource(cmd.OutOrStdout(), src, svc.SPURLs(src))
			return nil
		},
	}
	cfg.BindStore(cmd.Flags())
	cmd.Flags().StringVar(&metadata, "saml-metadata", "", "the external IdP's SAML metadata: a file or an http(s) URL")
	cmd.Flags().BoolVar(&identityStore, "identity-store", false, "make the identity store the identity source again (the default)")
	cmd.Flags().StringVar(&spURL, "sp-url", "", "idcenter's external URL for the SP entity id and ACS URL (default: the server's --public-url, else http(s)://--listen)")
	cmd.Flags().BoolVar(&allowIdPInitiated, "allow-idp-initiated", false, "also accept IdP-initiated sign-ins (unsolicited responses, e.g. the Okta or My Apps tile)")
	cmd.Flags().StringVar(&userNameAttr, "user-name-attribute", "", "match this assertion attribute's value (Name or FriendlyName) to the user name instead of the NameID")
	cmd.Flags().StringVar(&cfg.Listen, "listen", cfg.Listen, "the server's listen address, for the default SP URLs (env IDCENTER_LISTEN)")
	cmd.Flags().BoolVar(&cfg.TLSAuto, "tls", cfg.TLSAuto, "the server serves HTTPS (env IDCENTER_TLS=true)")
	cfg.BindPublicURL(cmd.Flags()) // the default SP URLs shown: the server's --public-url
	return cmd
}

func printIdentitySource(out io.Writer, src federation.Source, sp federation.SP) {
	fmt.Fprintf(out, "identity source: %s\n", src.Type)
	if src.Type != store.IdentitySourceExternalSAML {
		fmt.Fprintln(out, "sign-in: identity store user name and password, with idcenter's MFA")
		return
	}
	allowed := "not allowed"
	if src.AllowIdPInitiated {
		allowed = "allowed"
	}
	fmt.Fprintf(out, "idp entity id: %s\nidp sign-in url: %s\nidp metadata from: %s\nidp-initiated sign-in: %s\n",
		src.IdPEntityID, src.IdPSSOURL, src.MetadataSource, allowed)
	fmt.Fprintf(out, "sp entity id (audience): %s\nacs url: %s\nsp metadata url: %s\nsp sign-in url: %s\nsp single logout url: %s\n",
		sp.EntityID, sp.ACSURL, sp.MetadataURL, sp.SignInURL, sp.SLOURL)
	if src.UserNameAttribute != "" {
		fmt.Fprintf(out, "user name: the value of the assertion attribute %s\n", src.UserNameAttribute)
	} else {
		fmt.Fprintln(out, "nameid: the identity store user name (format emailAddress, unspecified or persistent)")
	}
	if !src.UpdatedAt.IsZero() {
		fmt.Fprintf(out, "updated: %s\n", src.UpdatedAt.Format(time.RFC3339))
	}
}
