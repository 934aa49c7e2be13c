package iam

import (
	"context"
	"strings"

	"github.com/idcenter/idcenter/internal/api/awsproto"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// SAML 2.0 and OpenID Connect identity providers.

// providerHandlers are the handlers of this file, added to Service's table.
func (a *Adapter) providerHandlers() map[string]awsproto.Handler {
	arn := func(_ context.Context, arn string) string { return arn }
	return map[string]awsproto.Handler{
		"CreateSAMLProvider": op(a.createSAMLProvider, func(ctx context.Context, in *CreateSAMLProviderRequest) string {
			return iam.SAMLProviderARN(account(ctx), in.Name)
		}),
		"GetSAMLProvider":      op(a.getSAMLProvider, func(ctx context.Context, in *GetSAMLProviderRequest) string { return arn(ctx, in.SAMLProviderArn) }),
		"UpdateSAMLProvider":   op(a.updateSAMLProvider, func(ctx context.Context, in *UpdateSAMLProviderRequest) string { return arn(ctx, in.SAMLProviderArn) }),
		"DeleteSAMLProvider":   op(a.deleteSAMLProvider, func(ctx context.Context, in *DeleteSAMLProviderRequest) string { return arn(ctx, in.SAMLProviderArn) }),
		"ListSAMLProviders":    op(a.listSAMLProviders, star[ListSAMLProvidersRequest]),
		"TagSAMLProvider":      op(a.tagSAMLProvider, func(ctx context.Context, in *TagSAMLProviderRequest) string { return arn(ctx, in.SAMLProviderArn) }),
		"UntagSAMLProvider":    op(a.untagSAMLProvider, func(ctx context.Context, in *UntagSAMLProviderRequest) string { return arn(ctx, in.SAMLProviderArn) }),
		"ListSAMLProviderTags": op(a.listSAMLProviderTags, func(ctx context.Context, in *ListSAMLProviderTagsRequest) string { return arn(ctx, in.SAMLProviderArn) }),

		"CreateOpenIDConnectProvider": op(a.createOIDCProvider, func(ctx context.Context, in *CreateOpenIDConnectProviderRequest) string {
			host := in.Url
			if i := strings.Index(host, "://"); i >= 0 {
				host = host[i+3:]
			}
			return iam.OIDCProviderARN(account(ctx), strings.TrimSuffix(host, "/"))
		}),
		"GetOpenIDConnectProvider": op(a.getOIDCProvider, func(ctx context.Context, in *GetOpenIDConnectProviderRequest) string {
			return arn(ctx, in.OpenIDConnectProviderArn)
		}),
		"DeleteOpenIDConnectProvider": op(a.deleteOIDCProvider, func(ctx context.Context, in *DeleteOpenIDConnectProviderRequest) string {
			return arn(ctx, in.OpenIDConnectProviderArn)
		}),
		"ListOpenIDConnectProviders": op(a.listOIDCProviders, star[ListOpenIDConnectProvidersRequest]),
		"AddClientIDToOpenIDConnectProvider": op(a.addClientID, func(ctx context.Context, in *AddClientIDToOpenIDConnectProviderRequest) string {
			return arn(ctx, in.OpenIDConnectProviderArn)
		}),
		"RemoveClientIDFromOpenIDConnectProvider": op(a.removeClientID, func(ctx context.Context, in *RemoveClientIDFromOpenIDConnectProviderRequest) string {
			return arn(ctx, in.OpenIDConnectProviderArn)
		}),
		"UpdateOpenIDConnectProviderThumbprint": op(a.updateThumbprints, func(ctx context.Context, in *UpdateOpenIDConnectProviderThumbprintRequest) string {
			return arn(ctx, in.OpenIDConnectProviderArn)
		}),
		"TagOpenIDConnectProvider": op(a.tagOIDCProvider, func(ctx context.Context, in *TagOpenIDConnectProviderRequest) string {
			return arn(ctx, in.OpenIDConnectProviderArn)
		}),
		"UntagOpenIDConnectProvider": op(a.untagOIDCProvider, func(ctx context.Context, in *UntagOpenIDConnectProviderRequest) string {
			return arn(ctx, in.OpenIDConnectProviderArn)
		}),
		"ListOpenIDConnectProviderTags": op(a.listOIDCProviderTags, func(ctx context.Context, in *ListOpenIDConnectProviderTagsRequest) string {
			return arn(ctx, in.OpenIDConnectProviderArn)
		}),
	}
}

// ---- SAML ----

func (a *Adapter) createSAMLProvider(ctx context.Context, in *CreateSAMLProviderRequest) (*CreateSAMLProviderResponse, error) {
	p, err := a.Core.CreateSAMLProvider(ctx, caller(ctx), iam.SAMLProviderInput{Name: in.Name, MetadataDocument: in.SAMLMetadataDocument,
		AssertionEncryptionMode: in.AssertionEncryptionMode, AddPrivateKey: in.AddPrivateKey, Tags: tagsIn(in.Tags)})
	if err != nil {
		return nil, mapErr(err)
	}
	return &CreateSAMLProviderResponse{SAMLProviderArn: p.ARN, Tags: tagsOut(p.Tags)}, nil
}

func (a *Adapter) getSAMLProvider(ctx context.Context, in *GetSAMLProviderRequest) (*GetSAMLProviderResponse, error) {
	p, err := a.Core.GetSAMLProvider(ctx, caller(ctx), in.SAMLProviderArn)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &GetSAMLProviderResponse{SAMLProviderUUID: p.UUID, SAMLMetadataDocument: p.MetadataDocument,
		CreateDate: awsproto.NewTime(p.CreatedAt), Tags: tagsOut(p.Tags), AssertionEncryptionMode: p.AssertionEncryptionMode}
	if !p.ValidUntil.IsZero() {
		out.ValidUntil = awsproto.NewTime(p.ValidUntil)
	}
	for _, k := range p.PrivateKeys {
		out.PrivateKeyList = append(out.PrivateKeyList, SAMLPrivateKey{KeyId: k.KeyID, Timestamp: awsproto.NewTime(k.Timestamp)})
	}
	return out, nil
}

func (a *Adapter) updateSAMLProvider(ctx context.Context, in *UpdateSAMLProviderRequest) (*UpdateSAMLProviderResponse, error) {
	err := a.Core.UpdateSAMLProvider(ctx, caller(ctx), in.SAMLProviderArn, iam.SAMLProviderInput{MetadataDocument: in.SAMLMetadataDocument,
		AssertionEncryptionMode: in.AssertionEncryptionMode, AddPrivateKey: in.AddPrivateKey, RemovePrivateKey: in.RemovePrivateKey})
	if err != nil {
		return nil, mapErr(err)
	}
	return &UpdateSAMLProviderResponse{SAMLProviderArn: in.SAMLProviderArn}, nil
}

func (a *Adapter) deleteSAMLProvider(ctx context.Context, in *DeleteSAMLProviderRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteSAMLProvider(ctx, caller(ctx), in.SAMLProviderArn))
}

func (a *Adapter) listSAMLProviders(ctx context.Context, _ *ListSAMLProvidersRequest) (*ListSAMLProvidersResponse, error) {
	ps, err := a.Core.ListSAMLProviders(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListSAMLProvidersResponse{SAMLProviderList: mapSlice(ps, func(p store.IAMSAMLProvider) SAMLProviderListEntry {
		e := SAMLProviderListEntry{Arn: p.ARN, CreateDate: awsproto.NewTime(p.CreatedAt)}
		if !p.ValidUntil.IsZero() {
			e.ValidUntil = awsproto.NewTime(p.ValidUntil)
		}
		return e
	})}, nil
}

func (a *Adapter) tagSAMLProvider(ctx context.Context, in *TagSAMLProviderRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagSAMLProvider(ctx, caller(ctx), in.SAMLProviderArn, tagsIn(in.Tags)))
}

func (a *Adapter) untagSAMLProvider(ctx context.Context, in *UntagSAMLProviderRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagSAMLProvider(ctx, caller(ctx), in.SAMLProviderArn, in.TagKeys))
}

func (a *Adapter) listSAMLProviderTags(ctx context.Context, in *ListSAMLProviderTagsRequest) (*ListSAMLProviderTagsResponse, error) {
	p, err := a.Core.ListSAMLProviderTags(ctx, caller(ctx), in.SAMLProviderArn, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	tags, tr, m := tagsPageOut(p)
	return &ListSAMLProviderTagsResponse{Tags: tags, IsTruncated: tr, Marker: m}, nil
}

// ---- OpenID Connect ----

func (a *Adapter) createOIDCProvider(ctx context.Context, in *CreateOpenIDConnectProviderRequest) (*CreateOpenIDConnectProviderResponse, error) {
	p, err := a.Core.CreateOpenIDConnectProvider(ctx, caller(ctx), in.Url, in.ClientIDList, in.ThumbprintList, tagsIn(in.Tags))
	if err != nil {
		return nil, mapErr(err)
	}
	return &CreateOpenIDConnectProviderResponse{OpenIDConnectProviderArn: p.ARN, Tags: tagsOut(p.Tags)}, nil
}

func (a *Adapter) getOIDCProvider(ctx context.Context, in *GetOpenIDConnectProviderRequest) (*GetOpenIDConnectProviderResponse, error) {
	p, err := a.Core.GetOpenIDConnectProvider(ctx, caller(ctx), in.OpenIDConnectProviderArn)
	if err != nil {
		return nil, mapErr(err)
	}
	return &GetOpenIDConnectProviderResponse{Url: p.URL, ClientIDList: p.ClientIDs, ThumbprintList: p.Thumbprints,
		CreateDate: awsproto.NewTime(p.CreatedAt), Tags: tagsOut(p.Tags)}, nil
}

func (a *Adapter) deleteOIDCProvider(ctx context.Context, in *DeleteOpenIDConnectProviderRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.DeleteOpenIDConnectProvider(ctx, caller(ctx), in.OpenIDConnectProviderArn))
}

func (a *Adapter) listOIDCProviders(ctx context.Context, _ *ListOpenIDConnectProvidersRequest) (*ListOpenIDConnectProvidersResponse, error) {
	ps, err := a.Core.ListOpenIDConnectProviders(ctx, caller(ctx))
	if err != nil {
		return nil, mapErr(err)
	}
	return &ListOpenIDConnectProvidersResponse{OpenIDConnectProviderList: mapSlice(ps, func(p store.IAMOIDCProvider) OpenIDConnectProviderListEntry {
		return OpenIDConnectProviderListEntry{Arn: p.ARN}
	})}, nil
}

func (a *Adapter) addClientID(ctx context.Context, in *AddClientIDToOpenIDConnectProviderRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.AddClientIDToOpenIDConnectProvider(ctx, caller(ctx), in.OpenIDConnectProviderArn, in.ClientID))
}

func (a *Adapter) removeClientID(ctx context.Context, in *RemoveClientIDFromOpenIDConnectProviderRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.RemoveClientIDFromOpenIDConnectProvider(ctx, caller(ctx), in.OpenIDConnectProviderArn, in.ClientID))
}

func (a *Adapter) updateThumbprints(ctx context.Context, in *UpdateOpenIDConnectProviderThumbprintRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UpdateOpenIDConnectProviderThumbprint(ctx, caller(ctx), in.OpenIDConnectProviderArn, in.ThumbprintList))
}

func (a *Adapter) tagOIDCProvider(ctx context.Context, in *TagOpenIDConnectProviderRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.TagOpenIDConnectProvider(ctx, caller(ctx), in.OpenIDConnectProviderArn, tagsIn(in.Tags)))
}

func (a *Adapter) untagOIDCProvider(ctx context.Context, in *UntagOpenIDConnectProviderRequest) (*struct{}, error) {
	return nil, mapErr(a.Core.UntagOpenIDConnectProvider(ctx, caller(ctx), in.OpenIDConnectProviderArn, in.TagKeys))
}

func (a *Adapter) listOIDCProviderTags(ctx context.Context, in *ListOpenIDConnectProviderTagsRequest) (*ListOpenIDConnectProviderTagsResponse, error) {
	p, err := a.Core.ListOpenIDConnectProviderTags(ctx, caller(ctx), in.OpenIDConnectProviderArn, in.Marker, maxItems(in.MaxItems))
	if err != nil {
		return nil, mapErr(err)
	}
	tags, tr, m := tagsPageOut(p)
	return &ListOpenIDConnectProviderTagsResponse{Tags: tags, IsTruncated: tr, Marker: m}, nil
}
