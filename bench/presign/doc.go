// Command presign prints one presigned sts:GetCallerIdentity GET URL, made by aws-sdk-go-v2's
// sts.NewPresignClient(...).PresignGetCallerIdentity (the same call EKS tokens are made with),
// for the given key and endpoint, valid for -expires.
//
//	presign -endpoint http://127.0.0.1:7400 -expires 1h
//
// The key comes from -key/-secret, else IDCENTER_ROOT_ACCESS_KEY_ID and
// IDCENTER_ROOT_SECRET_ACCESS_KEY.
package main
