export { createCertificateAuthority, createPrivateKey, issueCertificate, type CertificateRequest, type KeyAndCertificate } from "./certificates";
export { createClusterPki, type ClusterPki, type ClusterPkiArgs, type MemberCertificates, type MemberIdentity } from "./cluster-pki";
export { CA_ALLOWED_USES, CLIENT_CERTIFICATES, leafAllowedUses, memberSubjectAltNames, type CertificateProfile, type ClientIdentity } from "../../core/pki/profiles";
